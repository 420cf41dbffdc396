package dev.ladle.http;

/**
 * Leaves a handler with an error status: thrown from a normal or early handler (or anything it calls,
 * such as {@code ServerMessage.getRequestBodyAs}), it makes the server answer with {@link #getStatus()}
 * and the {@link #getReason() reason} as a {@code text/plain; charset=utf-8} body, instead of the 500
 * any other exception gives.
 *
 * <p>What the server does with it, before the response head went out: the response body and its
 * {@code Content-Type}, {@code Content-Length} and {@code Transfer-Encoding} are dropped, other response
 * headers the handler set (an {@code Allow} for a 405, say) are kept, and the message is unpaused. The
 * server logs it at debug level only: it is a verdict on the request, not a failure of the handler. Once
 * the head went out (a streamed response), it is too late for a status: the response is cut short as for
 * any failing handler.
 *
 * <p>The reason is sent to the client: put in it what the client may read, never internals. Like the
 * server's own protocol errors it carries no stack trace of its own (it is cheap to throw); a
 * {@linkplain #getCause() cause} may be kept for the application's own logging.
 */
public class StatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status the server answers with, 400 to 599 (part of the serialized form). */
    private final int status;

    /**
     * Creates an exception answering {@code status} with the status's standard reason phrase as its
     * reason.
     *
     * @throws IllegalArgumentException unless {@code 400 <= status <= 599}
     */
    public StatusException(int status) {
        this(status, Status.phrase(status), null);
    }

    /**
     * Creates an exception answering {@code status} with {@code reason} as the response body.
     *
     * @param reason what the client is told, one line or more; null is taken as the status's standard
     *     reason phrase
     * @throws IllegalArgumentException unless {@code 400 <= status <= 599}
     */
    public StatusException(int status, String reason) {
        this(status, reason, null);
    }

    /**
     * Creates an exception answering {@code status} with {@code reason}, keeping what caused it (which is
     * never sent to the client).
     *
     * @throws IllegalArgumentException unless {@code 400 <= status <= 599}
     */
    public StatusException(int status, String reason, Throwable cause) {
        super(reason == null ? Status.phrase(status) : reason, cause, false, false);
        // 1xx-3xx need more than a status and a text (a Location, an upgrade): they are no errors to throw
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a StatusException needs a 4xx or 5xx status, not " + status);
        }
        this.status = status;
    }

    /** Returns the status the server answers with, 400 to 599. */
    public int getStatus() {
        return status;
    }

    /** Returns the reason sent to the client as the response body; never null. */
    public String getReason() {
        return getMessage();
    }
}
