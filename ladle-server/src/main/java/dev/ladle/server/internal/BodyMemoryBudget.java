package dev.ladle.server.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes all connections of one server hold in memory, against
 * {@code Limits.getRequestBodyMemoryBudget()}: a reservation is taken before the bytes are allocated
 * and given back when the exchange ends. Lock-free; one atomic per reservation.
 */
public final class BodyMemoryBudget {
    private final AtomicLong held = new AtomicLong();

    /**
     * Reserves {@code bytes} when they fit under {@code budget} together with what is held; returns
     * false (reserving nothing) when they do not.
     */
    boolean tryReserve(long bytes, long budget) {
        if (budget == Long.MAX_VALUE) {
            held.addAndGet(bytes);
            return true;
        }
        while (true) {
            long now = held.get();
            if (bytes > budget - now) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} reserved earlier. */
    void release(long bytes) {
        if (bytes > 0) {
            held.addAndGet(-bytes);
        }
    }

    /** Returns the bytes reserved now. */
    public long held() {
        return held.get();
    }
}
