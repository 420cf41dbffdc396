package dev.ladle.server.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * When a plain connection that waits for its peer parks in the {@link IdleSelector}: after
 * {@link #PARK_AFTER_MILLIS} of quiet, measured by a read timeout, and only in the waits this policy
 * times. One per connection; its thread only.
 *
 * <p>A timed wait costs a timer, and a virtual thread's timer wakes a platform thread twice (to set it,
 * and to cancel it when the peer sends first): with every wait timed, a keep-alive request cost 2.7
 * more context switches and a third more CPU. So a connection waits timed until its waits came quickly
 * one after another {@link #BUSY_AFTER_QUICK_WAITS} times; then it counts as busy and waits untimed,
 * free of timers, until a wait begins the park threshold or more after the one before. A connection in
 * a sustained exchange that falls silent therefore keeps its thread until its next message (or the idle
 * timeout), as every connection did before parking existed, and parks from then on; any other parks in
 * every pause: one that exchanged a few messages (a page's requests, a WebSocket's greeting, an HTTP/2
 * request's frames) as well as one that is quiet between all of them.
 */
final class IdleWait {
    /**
     * How long a plain connection waits for its peer on its thread before it parks: long enough that a
     * connection in use never parks between its requests, short enough that thousands of quiet ones
     * hold no thread.
     */
    static final int PARK_AFTER_MILLIS = 250;
    private static final long PARK_AFTER_NANOS = PARK_AFTER_MILLIS * 1_000_000L;
    /** Waits in a row, each begun less than the park threshold after the one before, that make a connection busy. */
    private static final int BUSY_AFTER_QUICK_WAITS = 16;

    /** {@link System#nanoTime()} when the last wait began. */
    private long lastWaitStart = System.nanoTime() - 2 * PARK_AFTER_NANOS;
    /** Waits in a row that began soon after the one before, up to {@link #BUSY_AFTER_QUICK_WAITS}. */
    private int quickWaits;

    /**
     * Called as a wait for the peer begins, at {@code now} ({@link System#nanoTime()}): true when it
     * should be timed, so that the connection can park.
     */
    boolean timed(long now) {
        boolean quick = now - lastWaitStart < PARK_AFTER_NANOS;
        lastWaitStart = now;
        quickWaits = quick ? Math.min(quickWaits + 1, BUSY_AFTER_QUICK_WAITS) : 0;
        return quickWaits < BUSY_AFTER_QUICK_WAITS;
    }

    /**
     * A protocol reader's timed wait ({@link IdleParking#parkIfIdle}): runs {@code read} with the park
     * threshold as read timeout, again after each quiet step until {@code mayPark} allows a park (an
     * HTTP/2 connection waits on while a stream is still answering); the read timeout is 0 again after.
     *
     * @return true when a quiet step ended at a moment {@code mayPark} allows: the caller parks; false
     *     when the read returned (bytes, or the end of the stream)
     */
    static boolean quietUntilParking(Transport transport, IdleParking.Read read, BooleanSupplier mayPark)
            throws IOException {
        transport.setReadTimeout(PARK_AFTER_MILLIS);
        try {
            while (true) {
                try {
                    read.read();
                    return false;
                } catch (SocketTimeoutException e) {
                    if (mayPark.getAsBoolean()) {
                        return true;
                    }
                }
            }
        } finally {
            transport.setReadTimeout(0);
        }
    }
}
