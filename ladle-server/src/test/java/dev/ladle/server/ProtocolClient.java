package dev.ladle.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw client that speaks either protocol of {@link Protocol}, so a pipeline test states a behaviour
 * once and runs it over both. One request is current at a time: {@link #send} or {@link #sendHead} starts
 * it (on HTTP/1.1 the next request on the connection, on HTTP/2 a new stream), and the read methods read
 * its response. Not thread-safe: one test thread drives it.
 *
 * <p>Where the protocols end an exchange differently, the client reports it in one way:
 * {@link #endedByServer} is true when HTTP/1.1's connection was closed, or when HTTP/2's stream was
 * reset by the server or the connection got GOAWAY or closed.
 */
public interface ProtocolClient extends AutoCloseable {

    /** Returns the protocol this client speaks. */
    Protocol protocol();

    /**
     * Sends a whole request: head, then the body (if any) with a {@code Content-Length} unless the
     * request names its own framing; the request is complete afterwards.
     */
    ProtocolClient send(Request request) throws IOException;

    /**
     * Sends only the head; the body follows through {@link #sendBody} and {@link #endBody}. Without a
     * {@code Content-Length} in the request the body is chunked (HTTP/1.1) or simply DATA (HTTP/2).
     */
    ProtocolClient sendHead(Request request) throws IOException;

    /** Sends one piece of the current request's body (HTTP/2: waits for flow-control credit). */
    ProtocolClient sendBody(byte[] piece) throws IOException;

    /** Sends {@code text} as UTF-8, as one piece of the body. */
    default ProtocolClient sendBody(String text) throws IOException {
        return sendBody(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the current request's body (the last chunk, or an empty DATA frame with END_STREAM). */
    ProtocolClient endBody() throws IOException;

    /**
     * Waits for the first answer to a head sent with {@code Expect: 100-continue}: returns 100 when
     * the server asked for the body, else the final status (whose response {@link #read} then returns).
     */
    int awaitContinue() throws IOException;

    /**
     * Sends {@code request} with {@code Expect: 100-continue}, holding its body until a 100 arrives; a
     * final status first means the body is never sent. Returns the final response.
     */
    default Response sendExpectingContinue(Request request) throws IOException {
        sendHead(request.header("Expect", "100-continue"));
        if (awaitContinue() == 100) {
            if (request.body() != null && request.body().length > 0) {
                sendBody(request.body());
            }
            endBody();
        }
        return read();
    }

    /** Reads the final response to the current request, whole; the 1xx responses before it are listed in it. */
    Response read() throws IOException;

    /** Sends {@code GET target} with {@code headerLines} ("Name: value") and reads the response. */
    default Response get(String target, String... headerLines) throws IOException {
        Request request = Request.get(target);
        for (String line : headerLines) {
            request = request.header(line);
        }
        return send(request).read();
    }

    /** Reads the final response's head; its body is then read with {@link #readBodyPiece}. */
    Response readHead() throws IOException;

    /**
     * Returns the next piece of the response body as the server sent it (a chunk, a DATA frame, or what
     * the socket had); null at the body's end, and also when the server ended the exchange before it
     * (then {@link #endedByServer} is true).
     */
    byte[] readBodyPiece() throws IOException;

    /** Gives up the current request: HTTP/1.1 closes the connection, HTTP/2 resets the stream (CANCEL). */
    void cancel() throws IOException;

    /**
     * Returns true once the server ended the exchange within {@code millis}: HTTP/1.1's connection
     * closed; HTTP/2's current stream reset by the server, or GOAWAY, or the connection closed.
     * False when the server sent nothing of the kind in that time.
     */
    boolean endedByServer(int millis) throws IOException;

    /**
     * Leaves abruptly: closes the connection with a TCP reset ({@code SO_LINGER} 0) instead of a FIN, so
     * that the server's next read fails with "connection reset" rather than seeing the end of input.
     */
    void closeWithReset() throws IOException;

    @Override
    void close() throws IOException;

    /**
     * A request as a test states it; header names as written, values as Latin-1 text. {@code body} is
     * null for none. {@code Host} becomes HTTP/2's {@code :authority}; without it the client sends the
     * authority it connected to.
     */
    record Request(String method, String target, List<String[]> headers, byte[] body) {
        public Request {
            headers = List.copyOf(headers);
        }

        /** A GET without body. */
        public static Request get(String target) {
            return of("GET", target);
        }

        /** A request without headers or body. */
        public static Request of(String method, String target) {
            return new Request(method, target, List.of(), null);
        }

        /** A copy with one more field. */
        public Request header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Request(method, target, more, body);
        }

        /** A copy with one more field given as {@code "Name: value"}. */
        public Request header(String line) {
            int colon = line.indexOf(':');
            return header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }

        /** A copy with this body. */
        public Request body(byte[] bytes) {
            return new Request(method, target, headers, bytes);
        }

        /** A copy with this UTF-8 body. */
        public Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The first value of {@code name} (any case), or null. */
        public String value(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    /**
     * A response: status, fields with lower-case names (repeated ones kept apart), body, and the 1xx
     * statuses that came before it. {@code reason} is HTTP/1.1's reason phrase; HTTP/2 has none (null).
     */
    record Response(int status, String reason, List<String[]> fields, byte[] body, List<Integer> informational) {
        /** All values of {@code name} joined with ", ", or null. */
        public String header(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : String.join(", ", all);
        }

        /** The first value of {@code name}, or null. */
        public String one(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : all.get(0);
        }

        /** Every value of {@code name}, in order. */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(f[1]);
                }
            }
            return values;
        }

        /** True when the comma-separated field {@code name} holds {@code token}. */
        public boolean hasToken(String name, String token) {
            String v = header(name);
            if (v == null) {
                return false;
            }
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
            return false;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The whole response as text, for asserting that nothing leaks (stack traces, class names). */
        public String text() {
            StringBuilder sb = new StringBuilder().append(status).append(' ').append(reason == null ? "" : reason).append('\n');
            for (String[] f : fields) {
                sb.append(f[0]).append(": ").append(f[1]).append('\n');
            }
            return sb.append('\n').append(bodyText()).toString();
        }
    }
}
