package dev.ladle.server.internal;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a socket when a deadline passes, to bound TLS work a client can stall: a handshake (a read
 * timeout alone would let a client that sends one byte just before each timeout hold a connection for
 * ever) and the close_notify written on close (it blocks when the client reads nothing).
 */
final class SocketDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> task;
    private volatile boolean expired;

    private SocketDeadline(Socket socket, long millis) {
        this.task = TIMER.schedule(() -> expire(socket), millis, TimeUnit.MILLISECONDS);
    }

    /** Closes {@code socket} in {@code millis} unless {@link #close()} is called first. */
    static SocketDeadline start(Socket socket, long millis) {
        return new SocketDeadline(socket, millis);
    }

    /** True when the deadline passed and the socket was closed. */
    boolean expired() {
        return expired;
    }

    /** Cancels the deadline. */
    @Override
    public void close() {
        task.cancel(false);
    }

    private void expire(Socket socket) {
        expired = true;
        try {
            socket.close();
        } catch (IOException e) {
            // whatever was blocked on the socket fails either way
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ladle-tls-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // the guarded work normally ends long before its deadline: drop cancelled tasks at once
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
