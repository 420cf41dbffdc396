package dev.ladle.server.internal.http2;

import java.util.Arrays;

/**
 * Collects a field block split over HEADERS and CONTINUATION frames (RFC 9113 §4.3, §6.10), bounded so a
 * CONTINUATION flood (CVE-2024-27316 and kin) costs a capped amount of memory and frames before the
 * connection is ended with ENHANCE_YOUR_CALM. A block sent in one HEADERS frame is decoded straight from
 * the read buffer and never comes here. Reader thread only.
 */
final class HeaderBlockBuffer {
    /** CONTINUATION frames allowed in one block; real clients need a handful at most. */
    static final int MAX_FRAMES = 128;

    private final int maxBytes;
    private byte[] bytes = new byte[0];
    private int length;
    private int frames;
    private int streamId;
    private boolean endStream;
    private boolean selfDependent;

    /** @param maxBytes the largest compressed block accepted */
    HeaderBlockBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** True while a block awaits CONTINUATION frames. */
    boolean inProgress() {
        return streamId != 0;
    }

    /** The stream of the block in progress, 0 when none. */
    int streamId() {
        return streamId;
    }

    boolean endStream() {
        return endStream;
    }

    boolean selfDependent() {
        return selfDependent;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Starts a block with the fragment of a HEADERS frame that lacks END_HEADERS. */
    void start(int streamId, boolean endStream, boolean selfDependent, byte[] b, int off, int len)
            throws ConnectionException {
        this.streamId = streamId;
        this.endStream = endStream;
        this.selfDependent = selfDependent;
        this.length = 0;
        this.frames = 0;
        append(b, off, len);
    }

    /** Adds a CONTINUATION fragment. */
    void append(byte[] b, int off, int len) throws ConnectionException {
        if (++frames > MAX_FRAMES + 1 || length + len > maxBytes) {
            throw new ConnectionException(ErrorCode.ENHANCE_YOUR_CALM, "header block too large");
        }
        if (length + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(length + len, bytes.length * 2)));
        }
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    /** Ends the block; the bytes stay readable until the next {@link #start}. */
    void finish() {
        streamId = 0;
    }

    /** Lets a large buffer go once its block was decoded, so idle connections stay small. */
    void release() {
        if (bytes.length > 16 << 10) {
            bytes = new byte[0];
        }
    }
}
