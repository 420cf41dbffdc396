package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stub registered on a {@link MockServer}: the requests it matches and how it answers them. Returned
 * by {@link Stubbing#respond}; use it to ask how often it was hit or to take it away again.
 */
public final class Stub {
    /**
     * The priority of a stub that was given none, as in WireMock: every stub made in code, and mappings
     * without a {@code priority}. A lower number is tried first (1 is the highest priority).
     */
    public static final int DEFAULT_PRIORITY = 5;

    private final StubRegistry registry;
    private final String description;
    private final List<Condition> conditions;
    private final Responder responder;
    private final int limit;
    private final String scenario;
    private final String nextState;
    private final JsonObject mapping;
    private final int priority;
    private final AtomicInteger hits = new AtomicInteger();

    /** How a stub computes the answer to the {@code hit}-th request it claimed (from 1). */
    @FunctionalInterface
    interface Responder {
        MockResponse answer(RecordedRequest request, int hit);
    }

    /**
     * @param limit the most requests it answers, 0 for no limit
     * @param scenario the scenario whose state it moves on, or null
     * @param nextState the state it moves {@code scenario} to when it answers, or null to leave it
     * @param mapping the mapping JSON it was made from (loaded or recorded), or null when made in code
     * @param priority its rank among stubs, 1 first (see {@link #priority()})
     */
    Stub(StubRegistry registry, String description, List<Condition> conditions, Responder responder, int limit,
            String scenario, String nextState, JsonObject mapping, int priority) {
        this.registry = registry;
        this.description = description;
        this.conditions = List.copyOf(conditions);
        this.responder = responder;
        this.limit = limit;
        this.scenario = scenario;
        this.nextState = nextState;
        this.mapping = mapping;
        this.priority = priority;
    }

    /** How many requests this stub answered. */
    public int hits() {
        return hits.get();
    }

    /**
     * The stub's priority: stubs are tried in order of priority, 1 first, and among stubs of the same
     * priority the newest first. {@link #DEFAULT_PRIORITY} unless a mapping's {@code priority} said otherwise.
     */
    public int priority() {
        return priority;
    }

    /**
     * The WireMock-style mapping this stub was made from: a mapping {@linkplain MockServer#loadMappings
     * loaded} or {@linkplain MockServer#addMapping added}, or one {@linkplain MockServer#stopRecording()
     * recorded}, always with its {@code id}. Empty for a stub made in code ({@code server.onGet(...)}):
     * its conditions may be any Java predicate, which JSON cannot hold.
     */
    public Optional<JsonObject> mapping() {
        return Optional.ofNullable(mapping);
    }

    /**
     * The {@linkplain #mapping() mapping} as the pretty JSON text {@link MockServer#saveMappings} writes.
     *
     * @throws IllegalStateException for a stub made in code, which has no mapping
     */
    public String toMappingJson() {
        if (mapping == null) {
            throw new IllegalStateException("the stub for " + description + " was made in code, not from a mapping,"
                    + " so it has no mapping JSON (only loaded, added and recorded stubs do)");
        }
        return Json.writePretty(mapping);
    }

    /** The {@code id} of its mapping, or null for a stub made in code. */
    String id() {
        return mapping != null && mapping.get("id") instanceof JsonString id ? id.value() : null;
    }

    /** The scenario it belongs to, or null. */
    String scenario() {
        return scenario;
    }

    /** Unregisters the stub; later requests no longer match it. */
    public void remove() {
        registry.remove(this);
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

    /**
     * Counts a hit if the stub has answers left, and moves its scenario on.
     *
     * @return the hit's number, from 1; 0 once it answered {@code times} requests
     */
    int claim() {
        while (true) {
            int n = hits.get();
            if (usedUp(n)) {
                return 0;
            }
            if (claim(n + 1)) {
                return n + 1;
            }
        }
    }

    /**
     * Counts hit number {@code hit} (from 1), when it is the next one and within the limit, and moves
     * the scenario on.
     *
     * @return false when another request took that hit first, or the stub has no answers left
     */
    boolean claim(int hit) {
        if (usedUp(hit - 1) || !hits.compareAndSet(hit - 1, hit)) {
            return false;
        }
        if (nextState != null) {
            registry.scenarios().set(scenario, nextState);
        }
        return true;
    }

    /** True once the stub answered the {@code times} requests it was limited to. */
    boolean usedUp() {
        return usedUp(hits.get());
    }

    /** Sets the hit count back to {@code count}, as it was when a server's state was saved. */
    void restoreHits(int count) {
        hits.set(count);
    }

    private boolean usedUp(int count) {
        return limit > 0 && count >= limit;
    }

    MockResponse answer(RecordedRequest request, int hit) {
        MockResponse response = responder.answer(request, hit);
        if (response == null) {
            throw new IllegalStateException("the stub for " + description + " answered null");
        }
        return response;
    }

    /** For messages: the description and how far it is used, {@code GET /items [1/2 used]} or {@code [3 hits]}. */
    @Override
    public String toString() {
        return description + (limit > 0 ? " [" + hits() + "/" + limit + " used]" : " [" + hits() + " hits]");
    }
}
