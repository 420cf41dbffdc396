package dev.ladle.websocket.internal;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.WebSocketException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads frames from a blocking stream through one reused buffer: headers are decoded in the buffer and
 * payloads copied straight into the caller's array (large ones read directly from the stream). Applies
 * no protocol rule except those needed to stay in step with the stream; the caller judges the header.
 */
public final class FrameReader {
    /**
     * Long access into byte arrays in the platform's byte order, for unmasking eight bytes at a time. The
     * native order matters: a big-endian view on x86 swaps every long and keeps the JIT from
     * vectorising the loop, which made unmasking a 16 KiB payload about twelve times slower.
     */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final InputStream in;
    /**
     * What a connection starts with: a few small frames per read, little for the many connections that
     * sit idle most of the time. It doubles whenever a read fills it (a burst) and grows to the power of
     * two above a frame that does not fit, up to {@link #GROWN_SIZE}.
     */
    private static final int INITIAL_SIZE = 512;
    /**
     * The most the buffer grows to as larger frames arrive (to the power of two above the frame): a
     * 16 KiB message then arrives in one read instead of several, without every connection paying for
     * the larger array.
     */
    private static final int GROWN_SIZE = 32 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** Empty (no array at all) while the connection waits without a thread: see {@link #releaseBuffer()}. */
    private byte[] buffer = new byte[INITIAL_SIZE];
    private int position;
    private int limit;

    /** Creates a reader over {@code in}, which it reads ahead of the current frame. */
    public FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame header.
     *
     * @return the header, or null when the stream ended cleanly before a new frame
     * @throws EOFException when the stream ended inside a header
     * @throws WebSocketException ({@link CloseCode#PROTOCOL_ERROR}) for a 64-bit length with the top bit set
     */
    public FrameHeader readHeader() throws IOException {
        if (!fill(2, true)) {
            return null;
        }
        int b0 = buffer[position] & 0xFF;
        int b1 = buffer[position + 1] & 0xFF;
        boolean masked = (b1 & 0x80) != 0;
        int lengthCode = b1 & 0x7F;
        int lengthBytes = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        fill(2 + lengthBytes + (masked ? 4 : 0), false);
        position += 2;
        long length = lengthCode;
        boolean minimal = true;
        if (lengthBytes == 2) {
            length = ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
            minimal = length > 125;
        } else if (lengthBytes == 8) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (buffer[position + i] & 0xFF);
            }
            if (length < 0) {
                throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "frame length has its most significant bit set");
            }
            minimal = length > 0xFFFF;
        }
        position += lengthBytes;
        int key = 0;
        if (masked) {
            key = ((buffer[position] & 0xFF) << 24) | ((buffer[position + 1] & 0xFF) << 16)
                    | ((buffer[position + 2] & 0xFF) << 8) | (buffer[position + 3] & 0xFF);
            position += 4;
        }
        return new FrameHeader((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, masked, key, length, minimal);
    }

    /** Returns true when no byte of a next frame is buffered. */
    public boolean isEmpty() {
        return position == limit;
    }

    /**
     * Reads once into the empty buffer, letting a read timeout through: the short wait of a reader
     * that parks when its peer stays quiet.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    public int readOnce() throws IOException {
        position = 0;
        limit = 0;
        if (buffer.length == 0) {
            buffer = new byte[INITIAL_SIZE];
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
        }
        return n;
    }

    /**
     * Lets the buffer go (nothing may be buffered), for a connection that waits without a thread: a
     * grown buffer and the small one alike. The next read makes a small one again.
     */
    public void releaseBuffer() {
        position = 0;
        limit = 0;
        buffer = EMPTY;
    }

    /** Reads the whole payload of {@code header} into {@code dst} at {@code offset}, unmasked. */
    public void readPayload(FrameHeader header, byte[] dst, int offset) throws IOException {
        readPayload(header, 0, dst, offset, (int) header.length());
    }

    /**
     * Reads {@code length} bytes of the payload of {@code header}, starting {@code frameOffset} bytes into
     * it, into {@code dst} at {@code offset}, unmasked. Parts must be read in order, without gaps.
     */
    public void readPayload(FrameHeader header, long frameOffset, byte[] dst, int offset, int length)
            throws IOException {
        if (header.length() > buffer.length && buffer.length < GROWN_SIZE) {
            // for the frames after this one
            long wanted = Long.highestOneBit(header.length() + FrameHeader.MAX_LENGTH) << 1;
            buffer = Arrays.copyOf(buffer, (int) Math.min(GROWN_SIZE, wanted));
        }
        int fromBuffer = Math.min(length, limit - position);
        System.arraycopy(buffer, position, dst, offset, fromBuffer);
        position += fromBuffer;
        int done = fromBuffer;
        while (done < length) {
            int n = readSome(dst, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("stream ended inside a frame payload");
            }
            done += n;
        }
        if (header.masked()) {
            // a part that starts k bytes into the frame starts at the key's k-th byte (mod 4)
            unmask(dst, offset, length, Integer.rotateLeft(header.maskKey(), 8 * (int) (frameOffset & 3)));
        }
    }

    /** Reads and discards {@code length} payload bytes. */
    public void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (position == limit) {
                fill(1, false);
            }
            int n = (int) Math.min(left, limit - position);
            position += n;
            left -= n;
        }
    }

    /**
     * Reads what is available. A read timeout left on the socket by the HTTP exchange does not end a
     * WebSocket: a timed-out read transferred nothing, so reading again is safe (idle peers are the
     * keepalive's business).
     */
    private int readSome(byte[] dst, int offset, int length) throws IOException {
        while (true) {
            try {
                return in.read(dst, offset, length);
            } catch (SocketTimeoutException e) {
                // keep waiting
            }
        }
    }

    /** XORs {@code length} bytes with the big-endian masking {@code key} (RFC 6455 section 5.3). */
    public static void unmask(byte[] data, int offset, int length, int key) {
        // eight bytes at a time; i stays a multiple of 8, so the key keeps its alignment for the tail
        long wide = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
        if (LITTLE_ENDIAN) {
            wide = Long.reverseBytes(wide); // the key's first byte must meet the lowest address
        }
        int i = 0;
        for (; i + 7 < length; i += 8) {
            int p = offset + i;
            LONGS.set(data, p, (long) LONGS.get(data, p) ^ wide);
        }
        for (; i < length; i++) {
            data[offset + i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
    }

    /**
     * Makes {@code needed} bytes available from {@code position}.
     *
     * @param cleanEofAllowed true when an end of stream before any byte is a clean end
     * @return false at a clean end of stream
     */
    private boolean fill(int needed, boolean cleanEofAllowed) throws IOException {
        if (limit - position >= needed) {
            return true;
        }
        if (buffer.length == 0) {
            buffer = new byte[INITIAL_SIZE];
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < needed) {
            int n = readSome(buffer, limit, buffer.length - limit);
            if (n < 0) {
                if (cleanEofAllowed && limit == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
            limit += n;
        }
        if (limit == buffer.length && buffer.length < GROWN_SIZE) {
            // the read filled the buffer: frames come in bursts, so take bigger bites from now on
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        return true;
    }
}
