package dev.ladle.junit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a {@link MockServer} received, each with what it was answered, and those a test has not
 * {@linkplain #take taken} yet. Requests are numbered as they arrive ({@link #nextNumber()}) and recorded
 * once their answer is known, before it is written. Thread-safe.
 */
final class Journal {
    private final List<RecordedRequest> entries = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final AtomicInteger numbers = new AtomicInteger();

    /** The number of the request arriving now, from 0. */
    int nextNumber() {
        return numbers.getAndIncrement();
    }

    /** Adds {@code request}, answered, to the journal. */
    void record(RecordedRequest request) {
        entries.add(request);
        untaken.add(request);
    }

    /** Every request recorded, in order. */
    List<RecordedRequest> all() {
        return List.copyOf(entries);
    }

    int size() {
        return entries.size();
    }

    /** The requests nothing the test set up answered. */
    List<RecordedRequest> unmatched() {
        return entries.stream().filter(r -> !r.isMatched()).toList();
    }

    /**
     * The oldest request not yet taken, waiting up to {@code timeout} for one.
     *
     * @throws AssertionError when none arrives in time, or the waiting thread is interrupted
     */
    RecordedRequest take(Duration timeout) {
        RecordedRequest request = Checks.poll(untaken, timeout);
        if (request == null) {
            List<RecordedRequest> all = all();
            throw new AssertionError("no request arrived within " + timeout + "; "
                    + (all.isEmpty() ? "no requests were received" : all.size() + " received: " + all));
        }
        return request;
    }

    /** Forgets the requests recorded so far; numbering goes on. */
    void clear() {
        entries.clear();
        untaken.clear();
    }

    /** Forgets the requests recorded so far and numbers the next one 0 again. */
    void reset() {
        clear();
        numbers.set(0);
    }
}
