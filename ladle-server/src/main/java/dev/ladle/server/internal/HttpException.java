package dev.ladle.server.internal;

/**
 * A protocol violation detected while reading a request, carrying the status to answer with. Thrown at
 * the point of detection and turned into a response in one place ({@link HttpConnection}). Carries no
 * stack trace: it is a verdict on the client's bytes, not a bug.
 */
public final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean closeConnection;

    /** A violation after which the connection is closed (the framing can no longer be trusted). */
    public HttpException(int status, String reason) {
        this(status, reason, true);
    }

    /** A violation answered with {@code status}; the connection is kept when {@code closeConnection} is false. */
    public HttpException(int status, String reason, boolean closeConnection) {
        super(reason, null, false, false);
        this.status = status;
        this.closeConnection = closeConnection;
    }

    /** Returns the status to answer with. */
    public int status() {
        return status;
    }

    /** Returns true when the connection must be closed after the answer. */
    public boolean closeConnection() {
        return closeConnection;
    }
}
