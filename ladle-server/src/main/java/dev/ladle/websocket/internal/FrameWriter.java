package dev.ladle.websocket.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;

/**
 * Encodes frames onto a blocking stream (RFC 6455 section 5.2). A small frame goes out with its header
 * in one write; a client's frames are masked with a fresh random key each, into a copy (the caller's
 * array is never changed).
 *
 * <p>Not thread-safe: the connection serialises callers with its send lock.
 */
public final class FrameWriter {
    /** The most the buffer grows to: a 16 KiB payload and the largest header go out in one write. */
    private static final int MAX_SIZE = 16 * 1024 + FrameHeader.MAX_LENGTH;

    private final OutputStream out;
    private final boolean masking;
    /**
     * Header and payload are copied here to go out in one write. It starts empty and grows to the
     * largest frame sent (up to {@link #MAX_SIZE}), so a connection that sends little keeps little.
     */
    private byte[] buffer = new byte[0];
    private SecureRandom random;

    /**
     * Creates a writer.
     *
     * @param out the stream to write to
     * @param masking true for a client, whose frames must be masked
     */
    public FrameWriter(OutputStream out, boolean masking) {
        this.out = out;
        this.masking = masking;
    }

    /**
     * Writes one message as frames of at most {@code fragmentSize} payload bytes (0: one frame), then
     * flushes. The reserved bits go on the first frame only, as per-message extensions require.
     */
    public void writeMessage(int opcode, int reservedBits, byte[] payload, int fragmentSize) throws IOException {
        if (fragmentSize <= 0 || payload.length <= fragmentSize) {
            writeFrame(true, reservedBits, opcode, payload, 0, payload.length);
        } else {
            for (int off = 0; off < payload.length; off += fragmentSize) {
                int len = Math.min(fragmentSize, payload.length - off);
                boolean first = off == 0;
                writeFrame(off + len == payload.length, first ? reservedBits : 0,
                        first ? opcode : Opcode.CONTINUATION, payload, off, len);
            }
        }
        out.flush();
    }

    /** Writes one control frame and flushes; the payload must be at most 125 bytes. */
    public void writeControl(int opcode, byte[] payload) throws IOException {
        writeFrame(true, 0, opcode, payload, 0, payload.length);
        out.flush();
    }

    /** Writes one frame without flushing. */
    public void writeFrame(boolean fin, int reservedBits, int opcode, byte[] payload, int offset, int length)
            throws IOException {
        if (buffer.length < MAX_SIZE && buffer.length < length + FrameHeader.MAX_LENGTH) {
            buffer = new byte[(int) Math.min(MAX_SIZE, Math.max(256, Integer.highestOneBit(length + FrameHeader.MAX_LENGTH) * 2L))];
        }
        int pos = 0;
        buffer[pos++] = (byte) ((fin ? 0x80 : 0) | reservedBits | opcode);
        int maskBit = masking ? 0x80 : 0;
        if (length <= 125) {
            buffer[pos++] = (byte) (maskBit | length);
        } else if (length <= 0xFFFF) {
            buffer[pos++] = (byte) (maskBit | 126);
            buffer[pos++] = (byte) (length >>> 8);
            buffer[pos++] = (byte) length;
        } else {
            buffer[pos++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[pos++] = (byte) ((long) length >>> shift);
            }
        }
        if (!masking) {
            // The header never goes out alone: with TCP_NODELAY it would be a packet of its own. A payload
            // that fits follows it in the buffer (one write); a larger one fills the buffer's rest and
            // the remainder is written straight from the caller's array.
            int first = Math.min(length, buffer.length - pos);
            System.arraycopy(payload, offset, buffer, pos, first);
            out.write(buffer, 0, pos + first);
            if (first < length) {
                out.write(payload, offset + first, length - first);
            }
            return;
        }
        int key = random().nextInt();
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[pos++] = (byte) (key >>> shift);
        }
        writeMasked(pos, key, payload, offset, length);
    }

    /** Copies the payload into the buffer behind {@code headerLength} header bytes, masking it chunk by chunk. */
    private void writeMasked(int headerLength, int key, byte[] payload, int offset, int length) throws IOException {
        int pos = headerLength;
        int done = 0;
        while (done < length) {
            // Chunks are multiples of 4 bytes (after the header), so the key stays aligned.
            int room = (buffer.length - FrameHeader.MAX_LENGTH) & ~3;
            int n = Math.min(room, length - done);
            System.arraycopy(payload, offset + done, buffer, pos, n);
            FrameReader.unmask(buffer, pos, n, key);
            out.write(buffer, 0, pos + n);
            done += n;
            pos = 0;
        }
        if (length == 0) {
            out.write(buffer, 0, pos);
        }
    }

    private SecureRandom random() {
        if (random == null) {
            random = new SecureRandom();
        }
        return random;
    }
}
