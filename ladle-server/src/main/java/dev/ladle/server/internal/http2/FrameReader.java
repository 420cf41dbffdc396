package dev.ladle.server.internal.http2;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads frames from the socket into one reused buffer. Reads as much as the socket offers, so one read
 * call usually yields several small frames; a frame's payload stays in {@link #buffer()} at
 * {@link #payloadOffset()} until the next {@link #next()} (no copy, no per-frame allocation).
 * Not thread-safe: only the connection's reader thread uses it.
 */
final class FrameReader {
    /** The 9-byte frame header (RFC 9113 §4.1). */
    static final int HEADER_LENGTH = 9;
    /** The client connection preface (RFC 9113 §3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final InputStream in;
    private final int maxFrameSize;
    /** The bytes read and not consumed yet, between {@link #pos} and {@link #limit}. */
    private byte[] buf;
    /** What an idle connection waits for its next frame in: most frames of a request fit; null while parked. */
    private byte[] idleBuf = new byte[IDLE_SIZE];
    /** The large buffer while the small one is in use; the watchdog may take it from an idle connection. */
    private volatile byte[] parked;
    private int pos;
    private int limit;

    private int length;
    private int type;
    private int flags;
    private int streamId;
    private int payloadOffset;

    /**
     * @param maxFrameSize the largest payload accepted (our SETTINGS_MAX_FRAME_SIZE)
     */
    FrameReader(InputStream in, int maxFrameSize) {
        this.in = in;
        this.maxFrameSize = maxFrameSize;
        this.buf = idleBuf;
    }

    private static final int IDLE_SIZE = 512;

    /** Room for one maximal frame plus a few small ones that often arrive with it. */
    private int largeSize() {
        return HEADER_LENGTH + maxFrameSize + 1024;
    }

    /** With nothing buffered: reads go to the small buffer (made again after a park), the large one is parked. */
    private void useIdleBuffer() {
        pos = 0;
        limit = 0;
        if (idleBuf == null) {
            idleBuf = new byte[IDLE_SIZE];
        }
        if (buf != idleBuf) {
            parked = buf.length > IDLE_SIZE ? buf : null;
            buf = idleBuf;
        }
    }

    /** Returns true when no byte of a next frame is buffered. */
    boolean isEmpty() {
        return pos == limit;
    }

    /**
     * Reads once into the empty buffer, letting a read timeout through (a parking reader's short wait).
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    int readOnce() throws IOException {
        useIdleBuffer();
        int n = in.read(buf, 0, buf.length);
        if (n > 0) {
            limit = n;
        }
        return n;
    }

    /** Lets both buffers go while the connection waits without a thread (nothing buffered). */
    void releaseBuffers() {
        pos = 0;
        limit = 0;
        buf = EMPTY;
        idleBuf = null;
        parked = null;
    }

    private static final byte[] EMPTY = new byte[0];

    /** Lets the large buffer go, for a connection that has been idle a while (called by the watchdog). */
    void dropParked() {
        parked = null;
    }

    /**
     * Reads and checks the 24-byte client preface.
     *
     * @return false when the bytes differ or the peer closed before sending them all
     */
    boolean readPreface() throws IOException {
        // compare as bytes arrive, so an HTTP/1.1 request shorter than the preface fails at once
        // instead of waiting for 24 bytes that never come
        int checked = 0;
        while (checked < PREFACE.length) {
            if (limit == pos + checked && !fill(checked + 1)) {
                return false;
            }
            int end = Math.min(limit - pos, PREFACE.length);
            if (!Arrays.equals(buf, pos + checked, pos + end, PREFACE, checked, end)) {
                return false;
            }
            checked = end;
        }
        pos += PREFACE.length;
        return true;
    }

    /**
     * Reads the next whole frame.
     *
     * @return false at a clean end of stream between frames
     * @throws EOFException when the stream ends inside a frame
     * @throws ConnectionException FRAME_SIZE_ERROR when the frame is larger than our maximum (its payload
     *     is not read: the connection ends anyway)
     */
    boolean next() throws IOException, ConnectionException {
        if (pos == limit) {
            // nothing buffered: wait in the small buffer, so an idle connection can give the large one up
            useIdleBuffer();
        }
        if (!fill(HEADER_LENGTH)) {
            if (limit > pos) {
                throw new EOFException("connection closed inside a frame header");
            }
            return false;
        }
        byte[] b = buf;
        int p = pos;
        length = (b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff);
        type = b[p + 3] & 0xff;
        flags = b[p + 4] & 0xff;
        // the reserved bit is ignored on receipt (RFC 9113 §4.1)
        streamId = int31(b, p + 5);
        if (length > maxFrameSize) {
            throw new ConnectionException(ErrorCode.FRAME_SIZE_ERROR, "frame of " + length + " bytes");
        }
        if (!fill(HEADER_LENGTH + length)) {
            throw new EOFException("connection closed inside a frame");
        }
        payloadOffset = pos + HEADER_LENGTH;
        pos = payloadOffset + length;
        return true;
    }

    /**
     * Reads and drops input until end of stream, a read error, or {@code maxBytes} (for a lingering
     * close: see {@link LingeringClose}).
     */
    void discardInput(long maxBytes) {
        try {
            for (long left = maxBytes; left > 0; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // closed: done
        }
    }

    /** Makes {@code n} bytes available from {@link #pos}; false at end of stream before that. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (n > buf.length) {
            // a frame larger than the small buffer: back to the large one, with the bytes read so far
            byte[] large = parked;
            parked = null;
            if (large == null || large.length < n) {
                large = new byte[Math.max(n, largeSize())];
            }
            System.arraycopy(buf, pos, large, 0, limit - pos);
            limit -= pos;
            pos = 0;
            buf = large;
        }
        if (buf.length - pos < n) {
            // compact: the unread tail moves to the front, so the frame fits in the buffer
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n) {
            int read = in.read(buf, limit, buf.length - limit);
            if (read < 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    /** Reads a 31-bit big-endian value, dropping the reserved high bit. */
    static int int31(byte[] b, int p) {
        return int32(b, p) & 0x7fff_ffff;
    }

    /** Reads a 32-bit big-endian value. */
    static int int32(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    byte[] buffer() {
        return buf;
    }

    int payloadOffset() {
        return payloadOffset;
    }

    int length() {
        return length;
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    int streamId() {
        return streamId;
    }
}
