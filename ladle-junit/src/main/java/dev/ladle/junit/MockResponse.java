package dev.ladle.junit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link MockServer} answers: a status, headers and a body, and optionally how to misbehave:
 * answer late, trickle the body out, send interim (1xx) responses or trailers, or break the connection
 * in one of the ways real servers and networks do. Immutable: each {@code with} method returns a
 * changed copy, so one response can be shared between stubs.
 *
 * <pre>{@code
 * MockResponse.status(201).withHeader("Location", "/items/7").withJsonBody("{\"id\":7}")
 * MockResponse.text("slow").withDelay(Duration.ofMillis(500))
 * MockResponse.text("0123456789").withBodyCutAfter(3)     // Content-Length 10, 3 bytes, then the end
 * MockResponse.reset()                                    // TCP RST instead of an answer
 * }</pre>
 *
 * <p><b>Faults.</b> A response has at most one fault; the last one set wins. The faults that break the
 * connection are exact over HTTP/1.1, where the server writes the bytes itself, and each says what the
 * client sees. An HTTP/2 connection carries other requests, so there the nearest equivalent is used: the
 * request's stream is reset ({@code RST_STREAM INTERNAL_ERROR}) after the response head, and after the
 * body bytes the fault lets through; the connection and its other streams go on. Interim responses and
 * trailers are HTTP/1.1 only: over HTTP/2 such a response is answered {@code 500} and recorded in
 * {@link MockServer#answerFailures()}.
 *
 * <p><b>Retries.</b> Clients retry a request that failed before any byte of a response came back, on a
 * new connection, without telling the caller: the JDK {@code HttpClient} retries a GET once; OkHttp (with
 * {@code retryOnConnectionFailure}, its default) retries when the connection had served a request before,
 * more than once. Each attempt meets the same stub, so the caller finally sees the failure, but the
 * journal holds every attempt, and a stub limited by {@code times(1)} answers the retry normally, which
 * hides the fault. {@link #disconnect()}, {@link #reset()} and {@link #halfClose()} are such faults. To
 * test what the caller sees on the first failure, use a fault that sends part of a response first, which
 * clients do not retry: {@link #withHeadCutAfter}, {@link #withBodyCutAfter},
 * {@link #withMalformedChunk()}, {@link #randomBytes}.
 *
 * <p><b>Teardown.</b> Every wait (delays, pauses between pieces of a body, {@link #stall()}, a held
 * 100 Continue) ends at once when the server is {@linkplain MockServer#close() closed}: the exchange
 * is then abandoned and its connection cut.
 */
public final class MockResponse {
    /** An interim (1xx) response sent before the final one. */
    record Informational(int status, List<Map.Entry<String, String>> headers) {
    }

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Pacing pacing;
    private final Fault fault;
    private final List<Informational> informational;
    private final List<Map.Entry<String, String>> trailers;
    private final boolean continueRefused;

    private MockResponse(Parts p) {
        this.status = p.status;
        this.headers = List.copyOf(p.headers);
        this.body = p.body;
        this.pacing = p.pacing;
        this.fault = p.fault;
        this.informational = List.copyOf(p.informational);
        this.trailers = List.copyOf(p.trailers);
        this.continueRefused = p.continueRefused;
        checkContentLength();
    }

    // ---- ordinary responses ---------------------------------------------------------------------

    /**
     * A response with {@code status}, no headers and an empty body.
     *
     * @throws IllegalArgumentException unless {@code status} is a final status (200 to 599)
     */
    public static MockResponse status(int status) {
        int checked = requireFinal(status);
        return made(p -> p.status = checked);
    }

    /** {@code 200 OK} with a {@code text/plain; charset=utf-8} body. */
    public static MockResponse text(String body) {
        return status(200).withBody("text/plain; charset=utf-8", body);
    }

    /** {@code 200 OK} with an {@code application/json} body. */
    public static MockResponse json(String body) {
        return status(200).withJsonBody(body);
    }

    /**
     * This response with {@code status} instead.
     *
     * @throws IllegalArgumentException unless {@code status} is a final status (200 to 599)
     */
    public MockResponse withStatus(int status) {
        int checked = requireFinal(status);
        return changed(p -> p.status = checked);
    }

    /**
     * Adds a header line; a name may be added more than once. The server computes {@code Content-Length}
     * from the body; one set here must agree with it.
     *
     * @throws IllegalArgumentException for a {@code Content-Length} that is not the body's length (set
     *     the body first; to send a body shorter than its declared length on purpose, use
     *     {@link #withBodyCutAfter(int)})
     */
    public MockResponse withHeader(String name, String value) {
        Map.Entry<String, String> header = Map.entry(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(value, "value"));
        return changed(p -> p.headers.add(header));
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

    /**
     * Replaces the body; headers stay as they are.
     *
     * @throws IllegalArgumentException when a {@code Content-Length} header set earlier disagrees
     */
    public MockResponse withBody(byte[] body) {
        byte[] copy = Objects.requireNonNull(body, "body").clone();
        return changed(p -> p.body = copy);
    }

    /** Replaces the body with JSON text ({@code application/json}). */
    public MockResponse withJsonBody(String json) {
        return withBody("application/json", json);
    }

    // ---- slow answers ---------------------------------------------------------------------------

    /** Waits {@code delay} before answering (the client sees a slow server). */
    public MockResponse withDelay(Duration delay) {
        return withDelay(Delay.fixed(delay));
    }

    /**
     * Waits a fixed or random {@link Delay} before answering, drawn afresh for each request (for
     * example {@code Delay.uniform(min, max)} or {@code Delay.logNormal(median, sigma, new Random(seed))}).
     */
    public MockResponse withDelay(Delay delay) {
        Pacing paced = pacing.withDelay(Objects.requireNonNull(delay, "delay"));
        return changed(p -> p.pacing = paced);
    }

    /**
     * Sends the body with chunked transfer coding, {@code chunkSize} bytes at a time with
     * {@code betweenChunks} between them (for streaming clients and read timeouts): the head goes out
     * first, then the chunks. Over HTTP/2 each chunk goes out as its own DATA frame, without a
     * {@code Content-Length}.
     */
    public MockResponse withChunkedBody(int chunkSize, Duration betweenChunks) {
        Pacing paced = pacing.inPieces(chunkSize, betweenChunks, true);
        return changed(p -> p.pacing = paced);
    }

    /**
     * Dribbles the body out at a set rate: the head with the body's {@code Content-Length} goes out
     * first, then {@code bytesPerPeriod} bytes, a pause of {@code period}, the next bytes, and so on
     * (the body takes about {@code length / bytesPerPeriod × period}). Over HTTP/2 the pieces go out as
     * DATA frames the same way.
     */
    public MockResponse withThrottledBody(int bytesPerPeriod, Duration period) {
        Pacing paced = pacing.inPieces(bytesPerPeriod, period, false);
        return changed(p -> p.pacing = paced);
    }

    // ---- interim responses, trailers, 100 Continue -----------------------------------------------

    /**
     * Sends the interim response {@code status} (102 to 199, for example {@code 103 Early Hints}) with
     * {@code headers} before the final response; call it again for more, which go out in order. The
     * server then writes the response itself and the connection closes after it
     * ({@code Connection: close}). HTTP/1.0 clients do not get interim responses. HTTP/1.1 only (see
     * the class documentation).
     *
     * @throws IllegalArgumentException unless {@code status} is 102 to 199 (100 Continue belongs to the
     *     server: see {@link #withContinueDelay}; 101 to the WebSocket handshake)
     */
    public MockResponse withInformational(int status, Map<String, String> headers) {
        if (status < 102 || status > 199) {
            throw new IllegalArgumentException("an interim response has a status from 102 to 199, not " + status);
        }
        Informational interim = new Informational(status,
                headers.entrySet().stream().map(h -> Map.entry(h.getKey(), h.getValue())).toList());
        return changed(p -> p.informational.add(interim));
    }

    /**
     * Sends {@code name: value} as a trailer field after the body. The body then goes out with chunked
     * transfer coding (its chunks as {@link #withChunkedBody} sets them, else one chunk), with a
     * {@code Trailer} header naming the fields; the connection closes after the response. HTTP/1.1 only
     * (see the class documentation).
     */
    public MockResponse withTrailer(String name, String value) {
        Map.Entry<String, String> trailer = Map.entry(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(value, "value"));
        return changed(p -> p.trailers.add(trailer));
    }

    /**
     * Answers a request that asks for {@code 100 Continue} ({@code Expect: 100-continue}) with this
     * response instead, before its body is read: the client should then not send the body, and the
     * connection closes after the answer. Give it a final status such as {@code 417} (expectation
     * failed), {@code 401} or {@code 413}. A request without the expectation gets this response as usual.
     *
     * <p>The answer to such a request must be chosen before its body arrives, so the server looks it up
     * from the request head: stub conditions and answer functions see an empty body (and an answer
     * function runs again, with the body, when the response it gave does not refuse the continue).
     */
    public MockResponse withContinueRefused() {
        return changed(p -> p.continueRefused = true);
    }

    /**
     * Holds the {@code 100 Continue} back for {@code delay} when a request asks for it, so the client
     * waits before it sends its body (a client may give up waiting and send it anyway: curl does after
     * one second). Looked up from the head, as for
     * {@link #withContinueRefused()}. Works over HTTP/1.1 and HTTP/2.
     */
    public MockResponse withContinueDelay(Duration delay) {
        Pacing paced = pacing.withContinueDelay(Delay.fixed(delay));
        return changed(p -> p.pacing = paced);
    }

    // ---- faults ---------------------------------------------------------------------------------

    /**
     * No answer: the connection is closed as soon as the request has been read, so the client sees the
     * server hang up (an end of stream where the status line should be). See the class documentation
     * about clients that retry, which hide this fault; and, over HTTP/2, about stream resets.
     */
    public static MockResponse disconnect() {
        return faulty(new Fault(Fault.Kind.DISCONNECT, 0, null));
    }

    /**
     * Connection reset: as soon as the request has been read the connection is reset (TCP RST, via
     * {@code SO_LINGER} 0; over TLS without any alert), so the client's read fails with "connection
     * reset". A client that retries may hide it (see the class documentation). Over HTTP/2 the stream
     * is reset instead.
     */
    public static MockResponse reset() {
        return faulty(new Fault(Fault.Kind.RESET, 0, null));
    }

    /**
     * No response at all: the request is read and the connection stays open and silent until the client
     * gives up and closes it, or the server is closed (which ends the stall at once). Over HTTP/2 the
     * stream gets no head until the server is closed. For testing read timeouts.
     */
    public static MockResponse stall() {
        return faulty(new Fault(Fault.Kind.STALL, 0, null));
    }

    /**
     * {@code count} random bytes instead of a response, then the connection closes: the client cannot
     * parse a status line. The bytes differ for each request. Over HTTP/2 the stream is reset instead.
     *
     * @throws IllegalArgumentException when {@code count < 1}
     */
    public static MockResponse randomBytes(int count) {
        return faulty(new Fault(Fault.Kind.RANDOM_BYTES, requirePositive(count, "count"), null));
    }

    /** As {@link #randomBytes(int)}, with the same {@code count} bytes, drawn from {@code seed}, every time. */
    public static MockResponse randomBytes(int count, long seed) {
        return faulty(new Fault(Fault.Kind.RANDOM_BYTES, requirePositive(count, "count"), seed));
    }

    /**
     * Half-close: as soon as the request has been read, the server shuts its side of the connection
     * down (FIN) without a response, and keeps reading what the client sends until the client closes
     * (or the server is closed). The client reads an end of stream, yet its writes still succeed. On a
     * TLS connection the server closes instead, as {@link #disconnect()}; over HTTP/2 the stream is
     * reset.
     */
    public static MockResponse halfClose() {
        return faulty(new Fault(Fault.Kind.HALF_CLOSE, 0, null));
    }

    /**
     * Writes only the first {@code bytes} bytes of the response head (status line and headers; all of
     * it when it is shorter), then closes the connection: the client fails reading the head. No client
     * retries this one. Over HTTP/2 the stream is reset after the head.
     *
     * @throws IllegalArgumentException when {@code bytes < 1}
     */
    public MockResponse withHeadCutAfter(int bytes) {
        return withFault(new Fault(Fault.Kind.HEAD_CUT, requirePositive(bytes, "bytes"), null));
    }

    /**
     * A body cut short: the head declares the whole body ({@code Content-Length}, or chunked coding
     * with {@link #withChunkedBody}), then only the first {@code bytes} bytes of the body go out and the
     * connection closes, so the client fails reading the body ("unexpected end of stream") instead of
     * waiting. Over HTTP/2 the stream is reset after those bytes.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative or not less than the body's length
     */
    public MockResponse withBodyCutAfter(int bytes) {
        if (bytes < 0 || bytes >= body.length) {
            throw new IllegalArgumentException("a body of " + body.length + " bytes can be cut after 0 to "
                    + (body.length - 1) + " bytes, not " + bytes + "; set the body first");
        }
        return withFault(new Fault(Fault.Kind.BODY_CUT, bytes, null));
    }

    /**
     * A malformed chunk: the head with {@code Transfer-Encoding: chunked}, the body as one well-formed
     * chunk (when it is not empty), then the line {@code zz} where the next chunk's size (hexadecimal)
     * belongs, and the connection closes; the client fails reading the body. Over HTTP/2 the body goes
     * out, then the stream is reset.
     */
    public MockResponse withMalformedChunk() {
        return withFault(new Fault(Fault.Kind.MALFORMED_CHUNK, 0, null));
    }

    // ---- what it is -----------------------------------------------------------------------------

    /** The status, or 0 for the faults that answer no response ({@link #disconnect()} and the like). */
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
    public Delay delay() {
        return pacing.delay();
    }

    /** True for {@link #disconnect()}. */
    public boolean isDisconnect() {
        return fault.is(Fault.Kind.DISCONNECT);
    }

    /** The body without a copy, for the server. */
    byte[] bodyBytes() {
        return body;
    }

    /** When the bytes go out: delay, pieces, pauses, the continue held back. */
    Pacing pacing() {
        return pacing;
    }

    /** How the exchange breaks; {@link Fault#NONE} for an ordinary response. */
    Fault fault() {
        return fault;
    }

    /** The interim responses, in order. */
    List<Informational> informational() {
        return informational;
    }

    /** The trailer fields, in order. */
    List<Map.Entry<String, String>> trailers() {
        return trailers;
    }

    /** True when a request that expects {@code 100 Continue} gets this response instead. */
    boolean continueRefused() {
        return continueRefused;
    }

    // ---- copies ---------------------------------------------------------------------------------

    /** The fields of a response, copied so that a {@code with} method changes some and builds a new one. */
    private static final class Parts {
        int status;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        byte[] body = new byte[0];
        Pacing pacing = Pacing.NONE;
        Fault fault = Fault.NONE;
        List<Informational> informational = new ArrayList<>();
        List<Map.Entry<String, String>> trailers = new ArrayList<>();
        boolean continueRefused;
    }

    /** A new response: the defaults as {@code edit} changes them. */
    private static MockResponse made(Consumer<Parts> edit) {
        Parts p = new Parts();
        edit.accept(p);
        return new MockResponse(p);
    }

    /** A copy of this response as {@code edit} changes it. */
    private MockResponse changed(Consumer<Parts> edit) {
        Parts p = new Parts();
        p.status = status;
        p.headers = new ArrayList<>(headers);
        p.body = body;
        p.pacing = pacing;
        p.fault = fault;
        p.informational = new ArrayList<>(informational);
        p.trailers = new ArrayList<>(trailers);
        p.continueRefused = continueRefused;
        edit.accept(p);
        return new MockResponse(p);
    }

    /** A response that is only {@code fault}: no status, no body. */
    private static MockResponse faulty(Fault fault) {
        return made(p -> p.fault = fault);
    }

    /** This response with {@code fault}, which sends part of it (a response of none becomes a 200). */
    private MockResponse withFault(Fault fault) {
        return changed(p -> {
            if (p.status == 0) {
                p.status = 200; // a fault that sends part of a response replaces one that sent none
            }
            p.fault = fault;
        });
    }

    private MockResponse withoutHeader(String name) {
        return changed(p -> p.headers.removeIf(h -> h.getKey().equalsIgnoreCase(name)));
    }

    /**
     * A declared length other than the body's would leave the client waiting for bytes that never come
     * (or read the next response as part of this one). 304 is exempt: its length describes the
     * representation it does not send.
     */
    private void checkContentLength() {
        List<String> declared = headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length"))
                .map(Map.Entry::getValue).toList();
        if (declared.isEmpty() || status == 304) {
            return;
        }
        if (declared.size() > 1) {
            throw new IllegalArgumentException("a response has one Content-Length, not " + declared);
        }
        long length;
        try {
            length = Long.parseLong(declared.get(0).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Length is not a number: " + declared.get(0), e);
        }
        if (length != body.length) {
            throw new IllegalArgumentException("Content-Length " + length + " disagrees with the body's "
                    + body.length + " bytes: the client would wait for bytes that never come. Set the body"
                    + " first (the server computes Content-Length anyway), or cut it short on purpose with"
                    + " withBodyCutAfter(n)");
        }
    }

    private static int requireFinal(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a mock response needs a final status (200-599), not " + status);
        }
        return status;
    }

    private static int requirePositive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be positive: " + n);
        }
        return n;
    }

    /** For messages: {@code 200 (12 bytes, after PT0.5S)}, or the fault alone for one that sends no response ({@code reset}). */
    @Override
    public String toString() {
        if (status == 0) {
            return fault.describe(false);
        }
        return status + " (" + body.length + " bytes" + pacing.describe()
                + (fault.is(Fault.Kind.NONE) ? "" : ", " + fault.describe(true)) + ")";
    }
}
