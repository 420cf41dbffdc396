package dev.ladle.websocket.internal;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 section 7.2.1): raw DEFLATE, each message
 * ended with a sync flush whose trailing {@code 00 00 FF FF} is removed.
 *
 * <p>{@link Deflater} always uses a 32 KiB window, so a peer that limits our window to
 * {@code 2^bits} bytes is honoured another way: the compressor starts fresh for every message and only
 * compresses messages of at most {@code 2^bits} bytes, whose back-references cannot reach further.
 * Larger messages go out uncompressed, which permessage-deflate allows.
 */
public final class MessageDeflater {
    private static final int MAX_WINDOW_BITS = 15;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final boolean freshPerMessage;
    private final int maxInput;

    /**
     * Creates a compressor.
     *
     * @param noContextTakeover true to start fresh for every message
     * @param windowBits the largest window the peer accepts, 8 to 15
     */
    public MessageDeflater(boolean noContextTakeover, int windowBits) {
        this.freshPerMessage = noContextTakeover || windowBits < MAX_WINDOW_BITS;
        this.maxInput = windowBits < MAX_WINDOW_BITS ? 1 << windowBits : Integer.MAX_VALUE;
    }

    /** Returns true when {@code length} bytes are worth compressing and may be compressed within the window. */
    public boolean accepts(int length) {
        return length > 0 && length <= maxInput;
    }

    /** Returns the compressed form of {@code data}, which {@link #accepts} must have allowed. */
    public byte[] compress(byte[] data) {
        deflater.setInput(data);
        byte[] out = new byte[Math.max(64, data.length / 2 + 16)];
        int pos = 0;
        while (true) {
            int n = deflater.deflate(out, pos, out.length - pos, Deflater.SYNC_FLUSH);
            pos += n;
            // A sync flush that filled the buffer may have more to give.
            if (pos < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (freshPerMessage) {
            deflater.reset();
        }
        // The sync flush always ends with an empty stored block: 00 00 FF FF, removed on the wire.
        return Arrays.copyOf(out, pos - 4);
    }

    /** Frees the native compressor. */
    public void close() {
        deflater.end();
    }
}
