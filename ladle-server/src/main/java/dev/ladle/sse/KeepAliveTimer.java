package dev.ladle.sse;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keep-alive of one {@link EventStream}: while an interval is set, a virtual thread of its own asks
 * the stream, whenever the interval may have passed, to send a keep-alive if it stayed quiet that long.
 * Changing the interval or stopping ends that thread (a new one starts for a new interval). Thread-safe.
 */
final class KeepAliveTimer {
    /** What the timer asks its stream. */
    @FunctionalInterface
    interface Tick {
        /**
         * Sends a keep-alive when the stream has been quiet for {@code intervalNanos}.
         *
         * @return the nanoseconds until one may be due again, or a negative number once the stream closed
         */
        long tick(long intervalNanos);
    }

    /** A factory, not a builder: builders are not safe to share between threads, factories are. */
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("ladle-sse-keep-alive").factory();

    private final Tick tick;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the setting changes or the timer stops: the thread waits on it. */
    private final Condition changed = lock.newCondition();
    private Duration interval = Duration.ZERO;
    /** Bumped by every change: a thread of an older generation ends. */
    private int generation;
    private Thread thread;

    KeepAliveTimer(Tick tick) {
        this.tick = tick;
    }

    /** Sets the interval, ending the thread of the previous one; {@link Duration#ZERO} sends none. */
    void set(Duration newInterval) {
        lock.lock();
        try {
            interval = newInterval;
            int current = ++generation;
            changed.signalAll();
            thread = null;
            if (!newInterval.isZero()) {
                long nanos = saturatedNanos(newInterval);
                thread = THREADS.newThread(() -> run(current, nanos));
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the interval; zero when none is set. */
    Duration interval() {
        lock.lock();
        try {
            return interval;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the thread for good (the stream closed); the interval stays as it was. */
    void stop() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The thread of the current interval, or null. */
    Thread thread() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    private void run(int myGeneration, long intervalNanos) {
        long wait = 0;
        while (true) {
            lock.lock();
            try {
                // awaitNanos may return early; the stream's tick then says how much is left
                if (wait > 0 && myGeneration == generation) {
                    changed.awaitNanos(wait);
                }
                if (myGeneration != generation) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            // the tick takes the stream's lock: never called with this one held
            wait = tick.tick(intervalNanos);
            if (wait < 0) {
                return;
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
