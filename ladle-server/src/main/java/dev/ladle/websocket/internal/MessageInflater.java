package dev.ladle.websocket.internal;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.WebSocketException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses whole permessage-deflate messages (RFC 7692 section 7.2.2) without ever holding more
 * than the allowed message size: output stops one byte past the limit, so a small message that
 * inflates to gigabytes (a zip bomb) costs at most the limit in memory.
 */
public final class MessageInflater {
    private static final byte[] SYNC_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Inflater inflater = new Inflater(true);
    private final boolean freshPerMessage;

    /**
     * Creates a decompressor; {@link Inflater} accepts every window size up to 32 KiB.
     *
     * @param noContextTakeover true when the peer starts fresh for every message, so we may too
     */
    public MessageInflater(boolean noContextTakeover) {
        this.freshPerMessage = noContextTakeover;
    }

    /**
     * Decompresses one message.
     *
     * @param data the message payload as received
     * @param limit the largest result allowed, 0 for no limit
     * @throws WebSocketException {@link CloseCode#TOO_BIG} past the limit, {@link CloseCode#PROTOCOL_ERROR}
     *     when the data is not valid DEFLATE
     */
    public byte[] inflate(byte[] data, long limit) throws WebSocketException {
        long cap = limit > 0 ? Math.min(limit + 1, Integer.MAX_VALUE - 8) : Integer.MAX_VALUE - 8;
        byte[] out = new byte[(int) Math.min(cap, Math.max(256L, data.length * 4L))];
        int pos = 0;
        boolean tailGiven = false;
        inflater.setInput(data);
        try {
            while (true) {
                if (pos == out.length) {
                    if (out.length >= cap) {
                        throw new WebSocketException(CloseCode.TOO_BIG, "decompressed message exceeds " + limit + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(cap, out.length * 2L));
                }
                int n = inflater.inflate(out, pos, out.length - pos);
                pos += n;
                if (limit > 0 && pos > limit) {
                    throw new WebSocketException(CloseCode.TOO_BIG, "decompressed message exceeds " + limit + " bytes");
                }
                if (n > 0) {
                    continue;
                }
                if (inflater.finished()) {
                    break;
                }
                if (inflater.needsDictionary()) {
                    throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "compressed message needs a preset dictionary");
                }
                if (!inflater.needsInput()) {
                    // Input left, room for output, yet no progress: the stream is broken.
                    throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "invalid compressed data");
                }
                if (tailGiven) {
                    break;
                }
                // The sender removed the sync flush's empty block; giving it back ends the message cleanly.
                inflater.setInput(SYNC_TAIL);
                tailGiven = true;
            }
        } catch (DataFormatException e) {
            throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "invalid compressed data: " + e.getMessage());
        }
        // A final block (BFINAL) ends the DEFLATE stream: the next message starts a new one.
        if (freshPerMessage || inflater.finished()) {
            inflater.reset();
        }
        return Arrays.copyOf(out, pos);
    }

    /** Frees the native decompressor. */
    public void close() {
        inflater.end();
    }
}
