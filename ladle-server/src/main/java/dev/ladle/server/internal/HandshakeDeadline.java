package dev.ladle.server.internal;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cuts a TLS handshake that takes longer than allowed in total. A read timeout alone would let a client
 * that sends one byte just before each timeout hold a connection for ever; closing the socket at the
 * deadline ends the handshake whatever the client does.
 */
final class HandshakeDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> task;
    private volatile boolean expired;

    private HandshakeDeadline(Socket socket, long millis) {
        this.task = TIMER.schedule(() -> expire(socket), millis, TimeUnit.MILLISECONDS);
    }

    /** Closes {@code socket} in {@code millis} unless {@link #close()} is called first. */
    static HandshakeDeadline start(Socket socket, long millis) {
        return new HandshakeDeadline(socket, millis);
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
            // the handshake fails on the closed socket either way
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ladle-tls-handshake-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // handshakes normally finish long before their deadline: drop cancelled tasks at once
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
