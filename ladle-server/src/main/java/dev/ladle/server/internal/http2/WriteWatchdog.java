package dev.ladle.server.internal.http2;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends connections whose socket write has been blocked for longer than their write timeout. Java's
 * blocking socket writes have no timeout of their own, and a peer that stops reading (a PING or SETTINGS
 * flood without reading the answers, a slow reader) would otherwise hold the writer lock, and with it
 * the connection and every stream thread, for ever. One shared daemon thread checks the registered
 * writers ten times a second; checking is a volatile read per connection.
 */
final class WriteWatchdog {
    private static final long PERIOD_NANOS = 100_000_000L;
    private static final Set<FrameWriter> WRITERS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WriteWatchdog() {
    }

    /** Starts watching {@code writer} until {@link #unregister}. */
    static void register(FrameWriter writer) {
        WRITERS.add(writer);
        if (!STARTED.get() && STARTED.compareAndSet(false, true)) {
            Thread thread = new Thread(WriteWatchdog::run, "ladle-h2-write-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops watching {@code writer}. */
    static void unregister(FrameWriter writer) {
        WRITERS.remove(writer);
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(PERIOD_NANOS);
            long now = System.nanoTime();
            for (FrameWriter writer : WRITERS) {
                writer.checkStall(now);
            }
        }
    }
}
