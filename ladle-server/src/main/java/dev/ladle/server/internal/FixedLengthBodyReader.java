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
    public boolean readsIntoDirectBuffers() {
        return in.readsIntoDirectBuffers();
    }

    @Override
    public int read(java.nio.ByteBuffer dst) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int limit = dst.limit();
        if (dst.remaining() > remaining) {
            // never past the body: the next request may follow it
            dst.limit(dst.position() + (int) remaining);
        }
        int n;
        try {
            n = in.read(dst);
        } finally {
            dst.limit(limit);
        }
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
