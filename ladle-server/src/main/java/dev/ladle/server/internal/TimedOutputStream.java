package dev.ladle.server.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that remembers since when its current write blocks, so that the watchdog can cut
 * off a client that stopped reading (a blocking socket write cannot time out by itself). Used under
 * the HTTP/2 frame writer, which writes to the socket directly.
 */
final class TimedOutputStream extends OutputStream {
    private final OutputStream out;
    /** {@link System#nanoTime()} when the write in progress began, or 0. */
    private volatile long writeStarted;

    TimedOutputStream(OutputStream out) {
        this.out = out;
    }

    /** Returns how long the write in progress has been blocked, or 0 when none is. */
    long blockedNanos() {
        long started = writeStarted;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writeStarted = System.nanoTime() | 1;
        try {
            out.write(b, off, len);
        } finally {
            writeStarted = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        writeStarted = System.nanoTime() | 1;
        try {
            out.flush();
        } finally {
            writeStarted = 0;
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
