package dev.ladle.junit;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a {@link MockServer}'s test set up to answer requests: the stubs in the order they are tried,
 * the queue of {@linkplain MockServer#enqueue enqueued} responses, and the states of the scenarios that
 * stubs read and move; and the choice, for a request, of the stub that answers it.
 *
 * <p>Thread-safe: stubs are added and removed while requests are being matched. A request's choice of
 * stub, the use it counts and the scenario state it moves happen under one lock, so that two requests
 * never both take a stub's last use or both see a scenario in the state one of them leaves.
 */
final class StubRegistry {
    /**
     * The stub that claimed a request: the hit it counted (from 1), or, when one of its conditions
     * threw, that exception (the request is then its, answered 500).
     */
    record Choice(Stub stub, int hit, Throwable failure) {
    }

    /**
     * What would answer a request that waits for {@code 100 Continue}, looked up from its head without
     * using it up: a stub's answer to its next hit, or (with no stub) the head of the queue.
     */
    record Preview(Stub stub, int hit, MockResponse response) {
    }

    private final List<Stub> stubs = new CopyOnWriteArrayList<>();
    private final Queue<MockResponse> queue = new ConcurrentLinkedQueue<>();
    private final Scenarios scenarios = new Scenarios();
    /** Held while a request picks its stub, so a scenario's state is read and moved on atomically. */
    private final ReentrantLock choosing = new ReentrantLock();
    /** Held while a stub is put in its place by priority. */
    private final ReentrantLock editing = new ReentrantLock();

    /**
     * Puts {@code stub} where it is tried in turn: before every stub of a lower priority (a higher
     * number) and, among stubs of its priority, first (the newest wins). A stub from a mapping replaces
     * the one with the same mapping id.
     */
    void add(Stub stub) {
        editing.lock();
        try {
            String id = stub.id();
            if (id != null) {
                stubs.removeIf(s -> id.equals(s.id()));
            }
            int at = stubs.size();
            while (at > 0 && stubs.get(at - 1).priority() < stub.priority()) {
                at--;
            }
            stubs.add(at, stub);
        } finally {
            editing.unlock();
        }
    }

    void remove(Stub stub) {
        stubs.remove(stub);
    }

    /** The stubs, the one tried first last. */
    List<Stub> stubs() {
        return List.copyOf(stubs);
    }

    void enqueue(MockResponse response) {
        queue.add(response);
    }

    /** The next queued response, taken off the queue; null when it is empty. */
    MockResponse pollQueued() {
        return queue.poll();
    }

    Scenarios scenarios() {
        return scenarios;
    }

    /**
     * The stub that answers {@code request}: the first that matches it and has a use left, which it
     * takes (moving its scenario on); null when none does.
     */
    Choice choose(RecordedRequest request) {
        choosing.lock();
        try {
            Stub[] inTurn = stubs.toArray(Stub[]::new);
            for (int i = inTurn.length - 1; i >= 0; i--) {
                Stub stub = inTurn[i];
                // a condition is test code: if it throws (an assertion inside it, say), the client gets a
                // 500 and the test hears of it, instead of a bare server error
                try {
                    int hit;
                    if (stub.matches(request) && (hit = stub.claim()) > 0) {
                        return new Choice(stub, hit, null);
                    }
                } catch (RuntimeException | AssertionError e) {
                    return new Choice(stub, 0, e);
                }
            }
            return null;
        } finally {
            choosing.unlock();
        }
    }

    /**
     * What would answer the request with {@code head} now, without using it up; null when nothing
     * would. A stub's answer function runs (outside the lock: it may block) for the stub's next hit.
     *
     * @throws RuntimeException or {@link AssertionError} thrown by a stub's condition or answer function
     */
    Preview preview(RecordedRequest head) {
        Stub found = null;
        int hit = 0;
        choosing.lock();
        try {
            Stub[] inTurn = stubs.toArray(Stub[]::new);
            for (int i = inTurn.length - 1; i >= 0 && found == null; i--) {
                if (!inTurn[i].usedUp() && inTurn[i].matches(head)) {
                    found = inTurn[i];
                    hit = found.hits() + 1;
                }
            }
        } finally {
            choosing.unlock();
        }
        if (found != null) {
            return new Preview(found, hit, found.answer(head, hit));
        }
        MockResponse queued = queue.peek();
        return queued == null ? null : new Preview(null, 0, queued);
    }

    /**
     * Uses up what {@code preview} found, as its answer is given now: the stub's hit, if the stub still
     * matches {@code head} and no other request took that hit meanwhile, or the queued response, if it
     * is still queued.
     *
     * @return false when it is no longer there to take (the request is then answered as usual)
     */
    boolean take(Preview preview, RecordedRequest head) {
        Stub stub = preview.stub();
        if (stub == null) {
            return queue.remove(preview.response());
        }
        choosing.lock();
        try {
            return stub.matches(head) && stub.claim(preview.hit());
        } catch (RuntimeException | AssertionError e) {
            return false; // the normal handler meets the same failure, and reports it
        } finally {
            choosing.unlock();
        }
    }

    /**
     * Forgets the stubs and the queue, and puts every scenario back in its starting state, all at once
     * for a request choosing its stub: it chooses before or after, and moves no scenario on afterwards.
     */
    void reset() {
        choosing.lock();
        try {
            stubs.clear();
            queue.clear();
            scenarios.reset();
        } finally {
            choosing.unlock();
        }
    }

    /** The stubs that came closest to matching {@code request}, or a word on why there are none. */
    String nearMisses(RecordedRequest request) {
        List<Stub> all = stubs();
        if (all.isEmpty()) {
            return "There are no stubs" + (queue.isEmpty() ? "." : "; " + queue.size() + " queued responses remain.");
        }
        return NearMisses.closestStubs(request, all);
    }
}
