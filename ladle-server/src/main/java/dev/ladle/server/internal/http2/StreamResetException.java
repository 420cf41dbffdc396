package dev.ladle.server.internal.http2;

import java.io.IOException;

/**
 * Thrown by the blocking I/O of an {@link Http2Stream} once the stream was reset (by the peer or by us)
 * or the connection ended: the handler should stop working on the request.
 */
public final class StreamResetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /**
     * @param code the reset's error code, {@code null} when the connection ended rather than the stream
     * @param message what happened, for logs
     */
    public StreamResetException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The RST_STREAM error code, or {@code null} when the whole connection ended. */
    public ErrorCode code() {
        return code;
    }
}
