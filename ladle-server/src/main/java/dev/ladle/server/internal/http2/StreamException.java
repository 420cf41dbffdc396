package dev.ladle.server.internal.http2;

/**
 * A stream error (RFC 9113 §5.4.2): the reader answers it with RST_STREAM carrying {@link #code()} on
 * {@link #streamId()} and carries on with the connection.
 */
final class StreamException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int streamId;
    private final transient ErrorCode code;

    StreamException(int streamId, ErrorCode code, String message) {
        super(message, null, false, false);
        this.streamId = streamId;
        this.code = code;
    }

    /** The stream to reset. */
    int streamId() {
        return streamId;
    }

    /** The code sent in the RST_STREAM frame. */
    ErrorCode code() {
        return code;
    }
}
