package dev.ladle.websocket.internal;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.WebSocketException;
import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 section 5.5.1): an optional two-byte code and a UTF-8 reason,
 * 125 bytes at most.
 *
 * @param code the close code, {@link CloseCode#NO_STATUS} for an empty body
 * @param reason the reason, empty when none
 */
public record ClosePayload(int code, String reason) {
    private static final int MAX_REASON_BYTES = 123;

    /**
     * Parses a received close body.
     *
     * @throws WebSocketException {@link CloseCode#PROTOCOL_ERROR} for a one-byte body or a code that may
     *     not be sent; {@link CloseCode#BAD_DATA} for a reason that is not UTF-8
     */
    public static ClosePayload parse(byte[] body) throws WebSocketException {
        if (body.length == 0) {
            return new ClosePayload(CloseCode.NO_STATUS, "");
        }
        if (body.length == 1) {
            throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "close frame with a one-byte payload");
        }
        int code = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        if (!CloseCode.isValid(code)) {
            throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "invalid close code " + code);
        }
        if (!Utf8Validator.isValid(body, 2, body.length - 2)) {
            throw new WebSocketException(CloseCode.BAD_DATA, "close reason is not valid UTF-8");
        }
        return new ClosePayload(code, new String(body, 2, body.length - 2, StandardCharsets.UTF_8));
    }

    /** Encodes this payload; the reason is cut at a character boundary to fit 123 bytes. */
    public byte[] encode() {
        if (code == CloseCode.NO_STATUS) {
            return new byte[0];
        }
        byte[] text = truncate(reason == null ? "" : reason);
        byte[] body = new byte[2 + text.length];
        body[0] = (byte) (code >>> 8);
        body[1] = (byte) code;
        System.arraycopy(text, 0, body, 2, text.length);
        return body;
    }

    private static byte[] truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return bytes;
        }
        int end = MAX_REASON_BYTES;
        // Back up over continuation bytes (10xxxxxx) so no character is cut in half.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
