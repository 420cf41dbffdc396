package dev.ladle.server.internal;

import java.nio.ByteBuffer;

/**
 * One direct buffer of a {@link BodyBufferPool} lent to an exchange for its request body. It goes back
 * to the pool when the exchange ends, unless it {@linkplain #escape() escaped}: a view of it was handed
 * to application code, which may keep it, so its memory must never carry another request's bytes.
 */
public final class PooledBlock {
    private final ByteBuffer buffer;
    private volatile boolean escaped;

    PooledBlock(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Returns the whole buffer (position 0, limit its capacity when lent). */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Marks the block as seen by application code: it is never reused. */
    public void escape() {
        escaped = true;
    }

    /** Returns true once {@link #escape()} was called. */
    public boolean escaped() {
        return escaped;
    }
}
