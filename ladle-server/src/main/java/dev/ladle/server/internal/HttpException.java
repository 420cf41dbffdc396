package dev.ladle.server.internal;

import dev.ladle.http.Status;

/**
 * A protocol violation detected while reading a request, carrying the status to answer with. Thrown at
 * the point of detection and turned into a response in one place ({@link HttpConnection}). Carries no
 * stack trace: it is a verdict on the client's bytes, not a bug.
 */
public final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean closeConnection;
    private final boolean notHttp1;

    /** A violation after which the connection is closed (the framing can no longer be trusted). */
    public HttpException(int status, String reason) {
        this(status, reason, true);
    }

    /** A violation answered with {@code status}; the connection is kept when {@code closeConnection} is false. */
    public HttpException(int status, String reason, boolean closeConnection) {
        this(status, reason, closeConnection, false);
    }

    private HttpException(int status, String reason, boolean closeConnection, boolean notHttp1) {
        super(reason, null, false, false);
        this.status = status;
        this.closeConnection = closeConnection;
        this.notHttp1 = notHttp1;
    }

    /** A request line that names no HTTP version at all: the peer may not speak HTTP/1 (400, close). */
    public static HttpException notHttp1(String reason) {
        return new HttpException(Status.BAD_REQUEST, reason, true, true);
    }

    /** Returns true for {@link #notHttp1}: on a port that also speaks h2c, a failed HTTP/2 preface. */
    public boolean isNotHttp1() {
        return notHttp1;
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
