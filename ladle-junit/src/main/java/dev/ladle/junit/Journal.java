package dev.ladle.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests a {@link MockServer} received, each with what it was answered, and those a test has not
 * {@linkplain #take taken} yet.
 *
 * <p>A request gets its {@link Ticket} when it arrives and is recorded once its answer is known, before
 * the answer is written; answers take their own time (a slow answer function, a proxied request), so
 * requests are recorded out of order, and the journal puts each in its place by number: it reads in
 * order of arrival (numbered 0, 1, 2, ... by position since the last reset). A {@link #reset()} or
 * {@link #clear()} also forgets the requests still being answered: a ticket from before it records
 * nothing.
 *
 * <p>Thread-safe.
 */
final class Journal {
    /** A request's place in the journal, handed out as it arrives. */
    record Ticket(int number, long generation) {
    }

    private static final Comparator<RecordedRequest> BY_NUMBER = Comparator.comparingInt(RecordedRequest::sequenceNumber);

    private final ReentrantLock lock = new ReentrantLock();
    private final List<RecordedRequest> entries = new ArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new PriorityBlockingQueue<>(16, BY_NUMBER);
    private int next;
    /** Counts resets and clears: a ticket of an earlier generation is for a request forgotten since. */
    private long generation;

    /** The ticket of the request arriving now: the next number. */
    Ticket arrive() {
        lock.lock();
        try {
            return new Ticket(next++, generation);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records {@code request}, answered, in its ticket's place; nothing when the journal was reset or
     * cleared since the ticket was handed out.
     */
    void record(Ticket ticket, RecordedRequest request) {
        lock.lock();
        try {
            if (ticket.generation() != generation) {
                return;
            }
            int at = entries.size();
            while (at > 0 && entries.get(at - 1).sequenceNumber() > request.sequenceNumber()) {
                at--;
            }
            entries.add(at, request);
            untaken.add(request);
        } finally {
            lock.unlock();
        }
    }

    /** Every request recorded, in order of arrival. */
    List<RecordedRequest> all() {
        lock.lock();
        try {
            return List.copyOf(entries);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** The requests nothing the test set up answered, in order of arrival. */
    List<RecordedRequest> unmatched() {
        return all().stream().filter(r -> !r.isMatched()).toList();
    }

    /**
     * The oldest request recorded and not yet taken, waiting up to {@code timeout} for one.
     *
     * @throws AssertionError when none is recorded in time, or the waiting thread is interrupted
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

    /** Forgets the requests received so far, those still being answered included; numbering goes on. */
    void clear() {
        forget(false);
    }

    /** Forgets the requests received so far, those still being answered included, and numbers from 0 again. */
    void reset() {
        forget(true);
    }

    private void forget(boolean renumber) {
        lock.lock();
        try {
            entries.clear();
            untaken.clear();
            generation++;
            if (renumber) {
                next = 0;
            }
        } finally {
            lock.unlock();
        }
    }
}
