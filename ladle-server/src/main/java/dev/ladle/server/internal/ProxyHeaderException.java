package dev.ladle.server.internal;

import java.io.IOException;

/**
 * A connection on a PROXY protocol listener did not start with a complete, valid PROXY header; the
 * message names the rule it broke (for a debug log: the connection is closed without an answer).
 * Carries no stack trace: it is a verdict on the peer's bytes, not a bug.
 */
public final class ProxyHeaderException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} says what was wrong. */
    public ProxyHeaderException(String message) {
        super(message);
    }

    /** Records no stack trace: thrown per bad connection, it is not a bug. */
    @Override
    public Throwable fillInStackTrace() {
        return this;
    }
}
