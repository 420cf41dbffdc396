package dev.ladle.websocket.internal;

/**
 * The fixed part of one received frame (RFC 6455 section 5.2), before any rule was applied.
 *
 * @param fin true on the last frame of a message
 * @param reservedBits RSV1-3 as in the first byte ({@code 0x70} mask)
 * @param opcode the opcode
 * @param masked true when a masking key followed
 * @param maskKey the masking key, big-endian (0 when not masked)
 * @param length the payload length
 * @param minimalLength false when the length used a longer encoding than needed
 */
public record FrameHeader(boolean fin, int reservedBits, int opcode, boolean masked, int maskKey, long length,
                          boolean minimalLength) {
    /** The longest header on the wire: 2 bytes, an 8-byte extended length and a 4-byte masking key. */
    public static final int MAX_LENGTH = 14;
}
