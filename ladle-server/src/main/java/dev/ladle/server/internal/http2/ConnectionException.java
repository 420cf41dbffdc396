package dev.ladle.server.internal.http2;

/**
 * A connection error (RFC 9113 §5.4.1): the reader answers it with GOAWAY carrying {@link #code()} and
 * closes the connection. Carries no stack trace: it is control flow for peer faults, not a bug.
 */
final class ConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    ConnectionException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The code sent in the GOAWAY frame. */
    ErrorCode code() {
        return code;
    }
}
