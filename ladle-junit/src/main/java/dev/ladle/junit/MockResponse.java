package dev.ladle.junit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MockServer} answers: a status, headers and a body, and optionally how to misbehave
 * (answer late, trickle the body out in chunks, or drop the connection without an answer). Immutable:
 * each {@code with} method returns a changed copy, so one response can be shared between stubs.
 *
 * <pre>{@code
 * MockResponse.withStatus(201).withHeader("Location", "/items/7").withJsonBody("{\"id\":7}")
 * MockResponse.text("slow").withDelay(Duration.ofMillis(500))
 * MockResponse.disconnect()
 * }</pre>
 */
public final class MockResponse {
    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Duration delay;
    private final int chunkSize;
    private final Duration chunkDelay;
    private final boolean disconnect;

    private MockResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, Duration delay,
            int chunkSize, Duration chunkDelay, boolean disconnect) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.delay = delay;
        this.chunkSize = chunkSize;
        this.chunkDelay = chunkDelay;
        this.disconnect = disconnect;
    }

    /**
     * A response with {@code status}, no headers and an empty body.
     *
     * @throws IllegalArgumentException unless {@code status} is a final status (200 to 599)
     */
    public static MockResponse withStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a mock response needs a final status (200-599), not " + status);
        }
        return new MockResponse(status, List.of(), new byte[0], Duration.ZERO, 0, Duration.ZERO, false);
    }

    /** {@code 200 OK} with a {@code text/plain; charset=utf-8} body. */
    public static MockResponse text(String body) {
        return withStatus(200).withBody("text/plain; charset=utf-8", body);
    }

    /** {@code 200 OK} with an {@code application/json} body. */
    public static MockResponse json(String body) {
        return withStatus(200).withJsonBody(body);
    }

    /**
     * No answer at all: the connection is closed as soon as the request has been read, so the client
     * sees the server hang up (for testing retries and error handling).
     *
     * <p>Over HTTP/2 the connection is shared with other requests, so only the request's stream is
     * ended: the head goes out with a {@code Content-Length} the body never reaches and the stream is
     * reset ({@code RST_STREAM INTERNAL_ERROR}); the client fails while reading the body. For a hang-up
     * before any head, build the server with {@link MockServer.Builder#http1Only()}.
     */
    public static MockResponse disconnect() {
        return new MockResponse(0, List.of(), new byte[0], Duration.ZERO, 0, Duration.ZERO, true);
    }

    /** Adds a header line; a name may be added more than once. */
    public MockResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new MockResponse(status, more, body, delay, chunkSize, chunkDelay, disconnect);
    }

    /** Replaces the body with {@code body} and its {@code Content-Type}. */
    public MockResponse withBody(String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        return withoutHeader("Content-Type").withHeader("Content-Type", contentType).withBody(body);
    }

    /** Replaces the body with {@code body} encoded as UTF-8, and its {@code Content-Type}. */
    public MockResponse withBody(String contentType, String body) {
        return withBody(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the body; headers stay as they are. */
    public MockResponse withBody(byte[] body) {
        Objects.requireNonNull(body, "body");
        return new MockResponse(status, headers, body.clone(), delay, chunkSize, chunkDelay, disconnect);
    }

    /** Replaces the body with JSON text ({@code application/json}). */
    public MockResponse withJsonBody(String json) {
        return withBody("application/json", json);
    }

    /** Waits {@code delay} before answering (the client sees a slow server). */
    public MockResponse withDelay(Duration delay) {
        requireNonNegative(delay, "delay");
        return new MockResponse(status, headers, body, delay, chunkSize, chunkDelay, disconnect);
    }

    /**
     * Sends the body with chunked transfer coding, {@code chunkSize} bytes at a time with
     * {@code betweenChunks} between them (for streaming clients and read timeouts). Over HTTP/2 each
     * chunk goes out as its own DATA frame, without a {@code Content-Length}.
     */
    public MockResponse withChunkedBody(int chunkSize, Duration betweenChunks) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        requireNonNegative(betweenChunks, "betweenChunks");
        return new MockResponse(status, headers, body, delay, chunkSize, betweenChunks, disconnect);
    }

    /** The status, or 0 for {@link #disconnect()}. */
    public int status() {
        return status;
    }

    /** The header lines in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** How long the server waits before answering. */
    public Duration delay() {
        return delay;
    }

    /** The chunk size of a chunked body, 0 when the body goes out whole with a Content-Length. */
    public int chunkSize() {
        return chunkSize;
    }

    /** The pause between chunks of a chunked body. */
    public Duration chunkDelay() {
        return chunkDelay;
    }

    /** True for {@link #disconnect()}. */
    public boolean isDisconnect() {
        return disconnect;
    }

    /** The body without a copy, for the server. */
    byte[] bodyBytes() {
        return body;
    }

    private MockResponse withoutHeader(String name) {
        List<Map.Entry<String, String>> rest = new ArrayList<>(headers);
        rest.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        return new MockResponse(status, rest, body, delay, chunkSize, chunkDelay, disconnect);
    }

    private static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

    @Override
    public String toString() {
        if (disconnect) {
            return "disconnect";
        }
        return status + " (" + body.length + " bytes" + (delay.isZero() ? "" : ", after " + delay)
                + (chunkSize > 0 ? ", chunks of " + chunkSize : "") + ")";
    }
}
