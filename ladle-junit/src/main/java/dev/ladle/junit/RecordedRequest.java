package dev.ladle.junit;

import dev.ladle.http.Forms;
import dev.ladle.http.HttpVersion;
import dev.ladle.server.ServerMessage;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request as a {@link MockServer} received it: copied out of the server when it arrived, so it can be
 * inspected at leisure from the test's thread.
 */
public final class RecordedRequest {
    private final int sequenceNumber;
    private final String method;
    private final URI uri;
    private final HttpVersion version;
    private final Map<String, String> query;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final SocketAddress remoteAddress;
    private final String matchedBy;
    private final List<X509Certificate> clientCertificates;
    private final int status;
    private final String answeredBy;

    /**
     * Copies what a test may inspect out of {@code msg}, as request number {@code number}, not answered
     * yet. A request the server refused before it could read a method gets an empty one.
     *
     * @param query the decoded query parameters (the last value of a repeated name)
     * @param body the body as read, not copied: the caller hands it over
     */
    static RecordedRequest copyOf(int number, ServerMessage msg, Map<String, String> query, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(msg.getRequestHeaders().size());
        msg.getRequestHeaders().forEach((name, value) -> headers.add(Map.entry(name, value)));
        String method = msg.getMethod() == null ? "" : msg.getMethod();
        return new RecordedRequest(number, method, msg.getUri(), msg.getHttpVersion(), query, headers, body,
                msg.getRemoteAddress(), null, msg.getTlsPeerCertificates(), 0, null);
    }

    private RecordedRequest(int sequenceNumber, String method, URI uri, HttpVersion version, Map<String, String> query,
            List<Map.Entry<String, String>> headers, byte[] body, SocketAddress remoteAddress, String matchedBy,
            List<X509Certificate> clientCertificates, int status, String answeredBy) {
        this.sequenceNumber = sequenceNumber;
        this.method = method;
        this.uri = uri;
        this.version = version;
        this.query = query == null ? Map.of() : Map.copyOf(query);
        this.headers = List.copyOf(headers);
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.matchedBy = matchedBy;
        this.clientCertificates = List.copyOf(clientCertificates);
        this.status = status;
        this.answeredBy = answeredBy != null ? answeredBy : matchedBy != null ? matchedBy : "no stub (404)";
    }

    /**
     * This request as answered: the client got {@code status}; {@code matchedBy} is what the test set up
     * that answered it (null for none), {@code answeredBy} says what answered it (null: as matchedBy).
     */
    RecordedRequest answered(int status, String matchedBy, String answeredBy) {
        return new RecordedRequest(sequenceNumber, method, uri, version, query, headers, body, remoteAddress,
                matchedBy, clientCertificates, status, answeredBy);
    }

    /**
     * The position of this request among those the server received (since it started, or was last
     * {@linkplain MockServer#reset() reset}), from 0: its place in {@link MockServer#requests()}, which
     * is the order of arrival, whatever order the answers were ready in.
     */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /**
     * The method, as sent ({@code GET}, {@code POST}, ...); empty for a request the server refused before
     * it could read a method.
     */
    public String method() {
        return method;
    }

    /** The full request URI, including scheme, host and port. */
    public URI uri() {
        return uri;
    }

    /**
     * The protocol the request came over: {@link HttpVersion#HTTP_1_1} (or {@code HTTP_1_0}), or
     * {@link HttpVersion#HTTP_2} for h2 over HTTPS and h2c by prior knowledge. A WebSocket handshake
     * reports the protocol of its upgrade request.
     */
    public HttpVersion version() {
        return version;
    }

    /** The decoded path. */
    public String path() {
        return uri.getPath();
    }

    /** The decoded query parameters (the last value of a repeated name); empty without a query. */
    public Map<String, String> query() {
        return query;
    }

    /** One decoded query parameter (the last value of a repeated name), or null. */
    public String queryParameter(String name) {
        return query.get(name);
    }

    /**
     * Every decoded value of query parameter {@code name}, in order: {@code ?tag=a&tag=b} gives
     * {@code [a, b]}; empty when there is none (or the query does not decode).
     */
    public List<String> queryParameters(String name) {
        String raw = uri.getRawQuery();
        if (raw == null) {
            return List.of();
        }
        try {
            return List.copyOf(Forms.decodeMulti(raw).getOrDefault(name, List.of()));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * The values of the cookies named {@code name} in the request's {@code Cookie} headers (RFC 6265
     * {@code name=value} pairs separated by {@code ;}), in order; empty when there is none.
     */
    public List<String> cookies(String name) {
        List<String> values = new ArrayList<>(1);
        for (String line : headers("Cookie")) {
            for (String pair : line.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    values.add(pair.substring(eq + 1).trim());
                }
            }
        }
        return values;
    }

    /** The value of cookie {@code name}, or null (the first, when the request repeats it). */
    public String cookie(String name) {
        List<String> values = cookies(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The header lines in the order they arrived. */
    public List<Map.Entry<String, String>> headerLines() {
        return headers;
    }

    /** The first value of a header (names compare without case), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Every value of a header, in order (names compare without case). */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** A copy of the body; empty when there was none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as text, in the charset its {@code Content-Type} names, UTF-8 otherwise. */
    public String bodyAsString() {
        return new String(body, charset());
    }

    /**
     * The certificate chain the client presented in the TLS handshake, leaf first; empty over plain HTTP,
     * when the server did not ask for one ({@link MockServer.Builder#requireClientCertificate},
     * {@link MockServer.Builder#requestClientCertificate}), or when the client sent none. Under
     * {@code requestClientCertificate} it may be a chain the server's trust did not verify.
     */
    public List<X509Certificate> clientCertificates() {
        return clientCertificates;
    }

    /** The client's address. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * What the test set up that answered the request: a stub's description, {@code "queue"} for an
     * {@linkplain MockServer#enqueue enqueued} response, {@code "websocket PATH"} for a handshake an
     * endpoint accepted, or (for a request the mock's handler never saw) a handler or auth domain the test
     * added to the underlying server. Null when nothing did: no stub matched (the client got 404), or the
     * server refused the request itself (see {@link #answeredBy()}).
     */
    public String matchedBy() {
        return matchedBy;
    }

    /** True when something the test set up answered the request (see {@link #matchedBy()}). */
    public boolean isMatched() {
        return matchedBy != null;
    }

    /**
     * The status line the client got: the stub's status, {@code 404} when nothing matched, {@code 500}
     * when a stub threw, the server's own status for a request it refused ({@code 400} for a malformed
     * request or a plain request to a WebSocket endpoint, {@code 413} for a body over the limit, ...),
     * {@code 101} for an accepted WebSocket handshake; {@code 0} when the client got no status at all
     * (a {@linkplain MockResponse#disconnect() disconnect}).
     */
    public int status() {
        return status;
    }

    /**
     * What answered the request, for messages: {@link #matchedBy()} when something the test set up did,
     * {@code "no stub (404)"} when nothing matched, or {@code "refused by the server: 413 Content Too Large"}
     * (or another status) for a request the server answered itself without the mock seeing it. Never null.
     */
    public String answeredBy() {
        return answeredBy;
    }

    private Charset charset() {
        String type = header("Content-Type");
        if (type != null) {
            for (String param : type.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (IllegalArgumentException e) {
                        break; // unknown or malformed: fall back to UTF-8
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** {@code METHOD /path?query}, the form used in failure messages. */
    @Override
    public String toString() {
        String q = uri.getRawQuery();
        return method + " " + uri.getRawPath() + (q == null ? "" : "?" + q);
    }
}
