package dev.ladle.server.internal.http2;

/**
 * A malformed HPACK header block (RFC 7541). The decoder's state can no longer be trusted to match the
 * peer's, so the connection must end with GOAWAY {@code COMPRESSION_ERROR}. Carries no stack trace: it is
 * a verdict on the peer's bytes, not a bug.
 */
public final class HpackException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A malformation described by {@code message} (for logs; never sent to the peer). */
    public HpackException(String message) {
        super(message, null, false, false);
    }
}
