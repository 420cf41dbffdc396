package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * A connection given as a pair of streams: {@code Server.acceptStream}, or a Unix-domain channel.
 * Streams have no read timeout of their own, so the server's write watchdog enforces the header, idle
 * and body timeouts coarsely (to about a second) by closing a connection whose read blocks too long.
 */
public final class StreamTransport implements Transport {
    private final InputStream input;
    /** The current read timeout in nanoseconds, or 0 for none. */
    private volatile long timeoutNanos;
    /** {@link System#nanoTime()} when the read in progress began, or 0. */
    private volatile long readStarted;
    private final OutputStream output;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final AutoCloseable closer;

    /**
     * Wraps streams.
     *
     * @param closer closes the underlying connection; null to close the two streams
     */
    public StreamTransport(InputStream input, OutputStream output, SocketAddress local, SocketAddress remote,
                           AutoCloseable closer) {
        this.input = new TimedInput(input);
        this.output = output;
        this.local = local;
        this.remote = remote;
        this.closer = closer;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean setReadTimeout(int millis) {
        timeoutNanos = millis * 1_000_000L;
        return true;
    }

    @Override
    public boolean hasPreciseTimeouts() {
        return false;
    }

    /** Returns true when a read has been blocked longer than the read timeout. */
    boolean readStalled() {
        long started = readStarted;
        long timeout = timeoutNanos;
        return started != 0 && timeout != 0 && System.nanoTime() - started > timeout;
    }

    /** Marks reads as in progress for {@link #readStalled()}. */
    private final class TimedInput extends java.io.FilterInputStream {
        TimedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            readStarted = System.nanoTime() | 1;
            try {
                return super.read();
            } finally {
                readStarted = 0;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            readStarted = System.nanoTime() | 1;
            try {
                return in.read(b, off, len);
            } finally {
                readStarted = 0;
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        output.flush();
    }

    @Override
    public void close() {
        if (closer != null) {
            try {
                closer.close();
            } catch (Exception e) {
                // closing: nothing left to do with the error
            }
            return;
        }
        try {
            output.close();
        } catch (IOException e) {
            // ignore: the input is closed next either way
        }
        try {
            input.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }
}
