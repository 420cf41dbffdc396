package dev.ladle.websocket.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that times keepalive pings, pong deadlines and close timeouts for every WebSocket
 * connection of the process, and the keep-alive comments of every {@code dev.ladle.sse.EventStream}.
 * Tasks only hand work to a new virtual thread, so a blocked socket can never hold up the timer.
 */
public final class WebSocketTimers {
    private static final ScheduledThreadPoolExecutor TIMER = create();

    private WebSocketTimers() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "ladle-websocket-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code task} on a new virtual thread after {@code delay}. */
    public static Future<?> schedule(Duration delay, Runnable task) {
        return TIMER.schedule(() -> Thread.startVirtualThread(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a new virtual thread every {@code period}, first after one period. */
    public static Future<?> repeat(Duration period, Runnable task) {
        long nanos = period.toNanos();
        return TIMER.scheduleAtFixedRate(() -> Thread.startVirtualThread(task), nanos, nanos, TimeUnit.NANOSECONDS);
    }
}
