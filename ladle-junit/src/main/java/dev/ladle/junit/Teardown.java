package dev.ladle.junit;

import dev.ladle.server.StolenConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The end of a mock server's life, as its slow answers see it: every wait of an answer (a delay, a
 * pause in a body, a stall) is on this one latch, so that {@link #close()} ends them all at once instead
 * of the server waiting them out, and every connection an answer took from the server is held here, so
 * that {@link #close()} cuts it (the server no longer knows about a stolen connection).
 *
 * <p>Thread-safe.
 */
final class Teardown implements AutoCloseable {
    private final CountDownLatch down = new CountDownLatch(1);
    private final Set<StolenConnection> held = ConcurrentHashMap.newKeySet();

    /**
     * Waits {@code d}, or less when the server is closed meanwhile.
     *
     * @return true when the whole time passed, false when the server was closed (or the waiting thread
     *     interrupted) first: the caller must then abandon its answer
     */
    boolean pause(Duration d) {
        if (d.isZero()) {
            return !isDown();
        }
        try {
            return !down.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the server is closed (or the waiting thread is interrupted). */
    void awaitDown() {
        try {
            down.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once {@link #close()} was called. */
    boolean isDown() {
        return down.getCount() == 0;
    }

    /**
     * Holds {@code connection} until {@link #release} or {@link #close()}; when the server is already
     * closed, closes it at once (a later read or write fails).
     */
    StolenConnection hold(StolenConnection connection) {
        held.add(connection);
        if (isDown()) {
            // close() may have run between the add and here, or before it: closing twice is harmless
            quietly(connection);
        }
        return connection;
    }

    /** Closes {@code connection} and forgets it. */
    void release(StolenConnection connection) {
        held.remove(connection);
        quietly(connection);
    }

    /** Ends every wait, now and later, and closes every held connection. */
    @Override
    public void close() {
        down.countDown();
        for (StolenConnection connection : held) {
            release(connection);
        }
    }

    private static void quietly(StolenConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }
}
