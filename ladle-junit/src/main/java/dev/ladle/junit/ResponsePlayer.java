package dev.ladle.junit;

import dev.ladle.http.HttpVersion;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.StolenConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a {@link MockResponse} as the answer to one request, misbehaviour included: delays, bodies in
 * pieces, interim responses and trailers, and the faults. Ordinary responses go through the server's own
 * writer; over HTTP/1 what it cannot write is written byte by byte on the connection taken from it
 * ({@link ServerMessage#stealConnection()}); over HTTP/2 faults become stream resets (see
 * {@link MockResponse}).
 *
 * <p>Every wait is on the {@link Teardown}, so {@link #close()} ends them all at once and cuts the
 * connections the player holds; an answer whose wait was cut short is abandoned. Thread-safe: each
 * request is played on its own thread.
 */
final class ResponsePlayer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ResponsePlayer.class.getName());

    private final Teardown teardown = new Teardown();
    private final Consumer<Throwable> failures;

    /** @param failures told of a response that cannot be played over the request's protocol */
    ResponsePlayer(Consumer<Throwable> failures) {
        this.failures = failures;
    }

    /** True when the request waits for {@code 100 Continue} before it sends its body. */
    static boolean expectsContinue(ServerMessage msg) {
        return msg.getRequestHeaders().headerContains("Expect", "100-continue");
    }

    /**
     * Before the body of a request that expects {@code 100 Continue} (from an early handler): answers
     * {@code response} at once when it refuses the continue, else holds the {@code 100 Continue} back
     * for its continue delay. A status set here is the final answer: the server then neither sends
     * {@code 100 Continue} nor reads the body, and skips the normal handler.
     */
    void beforeBody(ServerMessage msg, MockResponse response) throws IOException {
        if (response.continueRefused()) {
            play(msg, response);
            if (msg.getStatus() == 0) {
                // a fault took the connection: a status tells the server not to send 100 Continue on it
                msg.setStatus(417);
            }
        } else if (!teardown.pause(response.pacing().continueDelay().next())) {
            // being closed: a final answer instead of the 100, which ends the exchange without its body
            msg.setStatus(503);
        }
    }

    /** Answers {@code msg} with {@code response}; returns once it is written, cut or abandoned. */
    void play(ServerMessage msg, MockResponse response) throws IOException {
        if (!teardown.pause(response.pacing().delay().next())) {
            abandon(msg);
            return;
        }
        boolean h2 = msg.getHttpVersion() == HttpVersion.HTTP_2;
        boolean extras = !response.informational().isEmpty() || !response.trailers().isEmpty();
        if (h2 && extras) {
            unsupported(msg);
            return;
        }
        Fault fault = response.fault();
        if (fault.is(Fault.Kind.NONE)) {
            if (extras) {
                writeRaw(msg, response);
            } else {
                writeOrdinary(msg, response);
            }
        } else if (h2) {
            breakStream(msg, response);
        } else if (fault.sendsNoResponse()) {
            breakConnection(msg, response);
        } else {
            writeRaw(msg, response);
        }
    }

    /** Ends every wait at once, now and later, and closes the connections taken from the server. */
    @Override
    public void close() {
        teardown.close();
    }

    // ---- through the server's writer ------------------------------------------------------------

    private void writeOrdinary(ServerMessage msg, MockResponse response) throws IOException {
        msg.setStatus(response.status());
        for (Map.Entry<String, String> h : response.headers()) {
            msg.getResponseHeaders().append(h.getKey(), h.getValue());
        }
        byte[] body = response.bodyBytes();
        if (response.pacing().pieceSize() == 0) {
            msg.getResponseBody().append(body);
            return;
        }
        if (!response.pacing().chunked()) {
            msg.getResponseHeaders().replace("Content-Length", Integer.toString(body.length));
        }
        OutputStream out = msg.getResponseBodyStream();
        out.flush(); // the head goes out at once, before the first piece's pause
        if (writePieces(out, response, body.length)) {
            out.close();
        } else {
            abandon(msg, out);
        }
    }

    /** Writes the body's first {@code end} bytes in the response's pieces; false when a pause was cut short. */
    private boolean writePieces(OutputStream out, MockResponse response, int end) throws IOException {
        return response.pacing().writePieces(response.bodyBytes(), end, teardown::pause, (body, off, len) -> {
            out.write(body, off, len);
            out.flush();
        });
    }

    /** A fault over HTTP/2: the stream is reset after what the fault lets through (see {@link #resetStream}). */
    private void breakStream(ServerMessage msg, MockResponse response) throws IOException {
        Fault fault = response.fault();
        if (fault.is(Fault.Kind.STALL)) {
            teardown.awaitDown();
        }
        int sent = switch (fault.kind()) {
            case BODY_CUT -> fault.bytes();
            case MALFORMED_CHUNK -> response.bodyBytes().length;
            default -> 0;
        };
        resetStream(msg, response, sent);
    }

    /**
     * The nearest HTTP/2 has to a broken connection: the head goes out declaring more body than
     * follows (the first {@code sent} bytes), so the server resets the stream (RST_STREAM
     * INTERNAL_ERROR) when the body ends short; the connection and its other streams go on.
     */
    private void resetStream(ServerMessage msg, MockResponse response, int sent) throws IOException {
        msg.setStatus(response.status() == 0 ? 200 : response.status());
        for (Map.Entry<String, String> h : response.headers()) {
            msg.getResponseHeaders().append(h.getKey(), h.getValue());
        }
        msg.getResponseHeaders().replace("Content-Length", Integer.toString(Math.max(sent + 1, response.bodyBytes().length)));
        OutputStream out = msg.getResponseBodyStream();
        out.flush();
        if (writePieces(out, response, sent)) {
            closeShort(out);
        } else {
            abandon(msg, out);
        }
    }

    // ---- on the connection taken from the server (HTTP/1) ---------------------------------------

    private void writeRaw(ServerMessage msg, MockResponse response) throws IOException {
        RawHttp1Response raw = new RawHttp1Response(response, msg.getHttpVersion(), msg.getMethod(), msg.getResponseHeaders());
        StolenConnection connection = teardown.hold(msg.stealConnection());
        try {
            OutputStream out = connection.output();
            out.write(raw.interimHeads());
            byte[] head = raw.finalHead();
            if (response.fault().is(Fault.Kind.HEAD_CUT)) {
                out.write(head, 0, Math.min(head.length, response.fault().bytes()));
                out.flush();
                return;
            }
            out.write(head);
            out.flush();
            raw.writeBody(out, teardown::pause);
        } finally {
            teardown.release(connection);
        }
    }

    private void breakConnection(ServerMessage msg, MockResponse response) throws IOException {
        StolenConnection connection = teardown.hold(msg.stealConnection());
        try {
            switch (response.fault().kind()) {
                case RESET -> connection.reset();
                case RANDOM_BYTES -> {
                    connection.output().write(response.fault().noise());
                    connection.output().flush();
                }
                case HALF_CLOSE -> {
                    if (!msg.isSecure()) {
                        connection.shutdownOutput();
                        drain(connection.input());
                    }
                }
                case STALL -> drain(connection.input());
                default -> {
                    // DISCONNECT: closing without a word is the whole fault
                }
            }
        } finally {
            teardown.release(connection);
        }
    }

    /** Reads and drops what the client sends until it closes, or the teardown closes the connection. */
    private static void drain(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the client reset the connection, or the teardown closed it
        }
    }

    // ---- giving up ------------------------------------------------------------------------------

    /** Abandons an answer not started: the connection is cut (HTTP/1) or the stream reset (HTTP/2). */
    private void abandon(ServerMessage msg) throws IOException {
        if (msg.getHttpVersion() == HttpVersion.HTTP_2) {
            msg.setStatus(503);
            msg.getResponseHeaders().replace("Content-Length", "1");
            closeShort(msg.getResponseBodyStream());
        } else {
            teardown.release(msg.stealConnection());
        }
    }

    /**
     * Abandons an answer whose body is under way: HTTP/1 cuts the connection; HTTP/2 ends the body,
     * which resets the stream when it declared a length (a chunked body just ends early, as the server
     * closing the connection right after is what the client sees).
     */
    private void abandon(ServerMessage msg, OutputStream out) {
        if (msg.getHttpVersion() == HttpVersion.HTTP_2) {
            closeShort(out);
        } else {
            teardown.release(msg.stealConnection());
        }
    }

    private static void closeShort(OutputStream out) {
        try {
            out.close();
        } catch (IOException shortBody) {
            // expected: the body ended short of its Content-Length, which is what resets the stream
        }
    }

    private void unsupported(ServerMessage msg) {
        UnsupportedOperationException e = new UnsupportedOperationException("interim (1xx) responses and trailers"
                + " are HTTP/1.1 only: the Ladle server cannot send them over HTTP/2, and " + msg.getMethod() + " "
                + msg.getUri().getRawPath() + " came over HTTP/2; build the MockServer with http1Only() for them");
        failures.accept(e);
        LOG.log(System.Logger.Level.WARNING, e.getMessage());
        msg.setStatus(500);
        msg.setResponse("text/plain; charset=utf-8", ("ladle-junit: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
