package dev.ladle.server.internal;

import java.io.EOFException;
import java.io.IOException;

/** A body framed by {@code Content-Length}. */
final class FixedLengthBodyReader implements BodyReader {
    private final InputBuffer in;
    private long remaining;

    FixedLengthBodyReader(InputBuffer in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(dst, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed with " + remaining + " body bytes missing");
        }
        remaining -= n;
        return n;
    }

    @Override
    public boolean isDone() {
        return remaining == 0;
    }

    @Override
    public long remaining() {
        return remaining;
    }
}
