package dev.ladle.junit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stub registered on a {@link MockServer}: the requests it matches and how it answers them. Returned
 * by {@link Stubbing#respond}; use it to ask how often it was hit or to take it away again.
 */
public final class Stub {
    private final MockServer server;
    private final String description;
    private final List<Condition> conditions;
    private final Function<RecordedRequest, MockResponse> answer;
    private final int limit;
    private final AtomicInteger hits = new AtomicInteger();

    Stub(MockServer server, String description, List<Condition> conditions,
            Function<RecordedRequest, MockResponse> answer, int limit) {
        this.server = server;
        this.description = description;
        this.conditions = List.copyOf(conditions);
        this.answer = answer;
        this.limit = limit;
    }

    /** How many requests this stub answered. */
    public int hits() {
        return hits.get();
    }

    /** Unregisters the stub; later requests no longer match it. */
    public void remove() {
        server.remove(this);
    }

    /** What the stub matches, as in failure messages: {@code GET /items (header Accept=...)}. */
    public String description() {
        return description;
    }

    /**
     * True when {@code request} meets every condition; a condition that throws (test code) throws
     * through, for the server to report.
     */
    boolean matches(RecordedRequest request) {
        for (Condition condition : conditions) {
            if (condition.mismatch(request) != null) {
                return false;
            }
        }
        return true;
    }

    /** The conditions, method and path first. */
    List<Condition> conditions() {
        return conditions;
    }

    /** Counts a hit if the stub has answers left; false once it answered {@code times} requests. */
    boolean claim() {
        while (true) {
            int n = hits.get();
            if (limit > 0 && n >= limit) {
                return false;
            }
            if (hits.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    MockResponse answer(RecordedRequest request) {
        MockResponse response = answer.apply(request);
        if (response == null) {
            throw new IllegalStateException("the stub for " + description + " answered null");
        }
        return response;
    }

    @Override
    public String toString() {
        return description + (limit > 0 ? " [" + hits() + "/" + limit + " used]" : " [" + hits() + " hits]");
    }
}
