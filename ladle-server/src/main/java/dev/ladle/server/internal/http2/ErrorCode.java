package dev.ladle.server.internal.http2;

/**
 * The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY frames.
 */
public enum ErrorCode {
    /** Graceful shutdown or a stream closed without a fault. */
    NO_ERROR(0x0),
    /** A generic protocol violation. */
    PROTOCOL_ERROR(0x1),
    /** An unexpected internal fault (our handler failed to complete the response). */
    INTERNAL_ERROR(0x2),
    /** The peer violated flow control. */
    FLOW_CONTROL_ERROR(0x3),
    /** SETTINGS were not acknowledged in time. */
    SETTINGS_TIMEOUT(0x4),
    /** A frame arrived on a stream that was already half-closed or closed. */
    STREAM_CLOSED(0x5),
    /** A frame had an invalid size. */
    FRAME_SIZE_ERROR(0x6),
    /** The stream was refused before any application processing. */
    REFUSED_STREAM(0x7),
    /** The stream is no longer needed. */
    CANCEL(0x8),
    /** The header compression context could not be maintained. */
    COMPRESSION_ERROR(0x9),
    /** A CONNECT tunnel's connection failed. */
    CONNECT_ERROR(0xa),
    /** The peer behaves in a way that could generate excessive load. */
    ENHANCE_YOUR_CALM(0xb),
    /** The transport lacks the required security properties. */
    INADEQUATE_SECURITY(0xc),
    /** The request must be sent over HTTP/1.1. */
    HTTP_1_1_REQUIRED(0xd);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The 32-bit value sent on the wire. */
    public int code() {
        return code;
    }

    /**
     * The constant for a wire value, or {@code null} for a code this implementation does not know
     * (RFC 9113 §7: unknown codes must not trigger special behaviour).
     */
    public static ErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
