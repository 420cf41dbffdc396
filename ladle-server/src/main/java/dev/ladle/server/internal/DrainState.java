package dev.ladle.server.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a server is draining (about to close, telling clients and balancers so), and the wait of its
 * grace period, which a {@code close()} from another thread cuts short. Thread-safe.
 */
public final class DrainState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closed = lock.newCondition();
    private volatile boolean draining;
    /** Counts the closes that began: a grace waiter stops once it changed. Guarded by {@link #lock}. */
    private long closes;

    /** Enters the draining state; returns false when the server was draining already. */
    public boolean start() {
        lock.lock();
        try {
            boolean was = draining;
            draining = true;
            return !was;
        } finally {
            lock.unlock();
        }
    }

    /** Returns true from {@link #start()} until {@link #ended()}. Read on every HTTP/1 response: a volatile read. */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Waits until {@code grace} passed or a close began ({@link #closeBegan()}), whichever comes first.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitGrace(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            long seen = closes;
            while (closes == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                closed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A close began: wakes the grace waiters; the server stays draining until {@link #ended()}. */
    public void closeBegan() {
        lock.lock();
        try {
            closes++;
            closed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The close finished: the server is no longer draining (it may listen again and serve as new). */
    public void ended() {
        draining = false;
    }
}
