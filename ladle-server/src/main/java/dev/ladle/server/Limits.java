package dev.ladle.server;

import java.time.Duration;

/**
 * Size limits and timeouts that protect a {@link Server} from hostile or broken clients. libsoup has
 * none; every value here has a default suited to a server on a trusted network and a setter.
 *
 * <p>Setters return {@code this} for chaining. {@link Server#setLimits} takes a copy, so changing a
 * {@code Limits} afterwards does not affect a running server.
 */
public final class Limits {
    private int maxRequestLineLength = 8 * 1024;
    private int maxHeaderSectionSize = 64 * 1024;
    private int maxHeaderCount = 200;
    private long maxRequestBodySize = 64L * 1024 * 1024;
    private long maxDrainedBodySize = 64 * 1024;
    private Duration headerTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(120);
    private Duration bodyReadTimeout = Duration.ofSeconds(60);
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private int maxConcurrentStreams = 100;
    private int http2StreamWindow = 1024 * 1024;
    private int maxConnections = Integer.MAX_VALUE;
    private int maxConnectionsPerAddress = Integer.MAX_VALUE;
    private long requestBodyMemoryBudget = Math.max(DEFAULT_BODY_BUDGET_FLOOR, Runtime.getRuntime().maxMemory() / 4);
    private Duration responseTimeout = Duration.ZERO;
    private Duration retryAfter = Duration.ofSeconds(1);

    /** The smallest default body budget, for JVMs with a tiny heap: one default-sized body fits. */
    private static final long DEFAULT_BODY_BUDGET_FLOOR = 64L * 1024 * 1024;

    /** Creates limits with the default values. */
    public Limits() {
    }

    /** Returns a copy of {@code other}. */
    public Limits(Limits other) {
        this.maxRequestLineLength = other.maxRequestLineLength;
        this.maxHeaderSectionSize = other.maxHeaderSectionSize;
        this.maxHeaderCount = other.maxHeaderCount;
        this.maxRequestBodySize = other.maxRequestBodySize;
        this.maxDrainedBodySize = other.maxDrainedBodySize;
        this.headerTimeout = other.headerTimeout;
        this.idleTimeout = other.idleTimeout;
        this.bodyReadTimeout = other.bodyReadTimeout;
        this.shutdownTimeout = other.shutdownTimeout;
        this.tlsHandshakeTimeout = other.tlsHandshakeTimeout;
        this.maxConcurrentStreams = other.maxConcurrentStreams;
        this.http2StreamWindow = other.http2StreamWindow;
        this.writeTimeout = other.writeTimeout;
        this.maxConnections = other.maxConnections;
        this.maxConnectionsPerAddress = other.maxConnectionsPerAddress;
        this.requestBodyMemoryBudget = other.requestBodyMemoryBudget;
        this.responseTimeout = other.responseTimeout;
        this.retryAfter = other.retryAfter;
    }

    /** Longest request line in bytes, CRLF excluded; longer gives 414 (default 8 KiB). */
    public int getMaxRequestLineLength() {
        return maxRequestLineLength;
    }

    /** Sets {@link #getMaxRequestLineLength()}. */
    public Limits setMaxRequestLineLength(int bytes) {
        this.maxRequestLineLength = positive(bytes, "maxRequestLineLength");
        return this;
    }

    /** Largest header section (request line excluded) in bytes; larger gives 431 (default 64 KiB). */
    public int getMaxHeaderSectionSize() {
        return maxHeaderSectionSize;
    }

    /** Sets {@link #getMaxHeaderSectionSize()}. */
    public Limits setMaxHeaderSectionSize(int bytes) {
        this.maxHeaderSectionSize = positive(bytes, "maxHeaderSectionSize");
        return this;
    }

    /** Most header fields in one request; more gives 431 (default 200). */
    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    /** Sets {@link #getMaxHeaderCount()}. */
    public Limits setMaxHeaderCount(int count) {
        this.maxHeaderCount = positive(count, "maxHeaderCount");
        return this;
    }

    /**
     * Largest request body the server accumulates in memory, in bytes; a larger declared or received body
     * gives 413 and a close (default 64 MiB). Bodies streamed with accumulation off are not limited.
     */
    public long getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    /** Sets {@link #getMaxRequestBodySize()}. */
    public Limits setMaxRequestBodySize(long bytes) {
        this.maxRequestBodySize = positive(bytes, "maxRequestBodySize");
        return this;
    }

    /**
     * Largest body the server reads and throws away to keep a connection open after answering a request
     * before its body (for example a 401); a larger body closes the connection instead (default 64 KiB).
     */
    public long getMaxDrainedBodySize() {
        return maxDrainedBodySize;
    }

    /** Sets {@link #getMaxDrainedBodySize()}; 0 closes the connection whenever a body is left unread. */
    public Limits setMaxDrainedBodySize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxDrainedBodySize must be >= 0: " + bytes);
        }
        this.maxDrainedBodySize = bytes;
        return this;
    }

    /**
     * Time allowed from a request's first byte to the end of its headers; slower gives 408 and a close
     * (default 30 s). Protects against slowloris clients.
     */
    public Duration getHeaderTimeout() {
        return headerTimeout;
    }

    /** Sets {@link #getHeaderTimeout()}. */
    public Limits setHeaderTimeout(Duration timeout) {
        this.headerTimeout = positive(timeout, "headerTimeout");
        return this;
    }

    /**
     * Time a persistent connection may wait for its next request before it is closed (default 120 s);
     * checked four times a second.
     */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /** Sets {@link #getIdleTimeout()}. */
    public Limits setIdleTimeout(Duration timeout) {
        this.idleTimeout = positive(timeout, "idleTimeout");
        return this;
    }

    /** Longest wait for the next bytes of a request body; longer gives 408 and a close (default 60 s). */
    public Duration getBodyReadTimeout() {
        return bodyReadTimeout;
    }

    /** Sets {@link #getBodyReadTimeout()}. */
    public Limits setBodyReadTimeout(Duration timeout) {
        this.bodyReadTimeout = positive(timeout, "bodyReadTimeout");
        return this;
    }

    /** How long {@link Server#close()} waits for requests in flight before cutting them (default 10 s). */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** Sets {@link #getShutdownTimeout()}. */
    public Limits setShutdownTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative: " + timeout);
        }
        this.shutdownTimeout = timeout;
        return this;
    }

    /** Time allowed for a TLS handshake on an https listener; slower clients are cut off (default 10 s). */
    public Duration getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** Sets {@link #getTlsHandshakeTimeout()}. */
    public Limits setTlsHandshakeTimeout(Duration timeout) {
        this.tlsHandshakeTimeout = positive(timeout, "tlsHandshakeTimeout");
        return this;
    }

    /**
     * Longest time one write to a client may block; a client that stops reading its response (or the
     * frames of its WebSocket) is cut off after it (default 60 s). Protects against slow-read attacks.
     * Checked four times a second.
     */
    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    /** Sets {@link #getWriteTimeout()}. */
    public Limits setWriteTimeout(Duration timeout) {
        this.writeTimeout = positive(timeout, "writeTimeout");
        return this;
    }

    /**
     * Most HTTP/2 streams one client may have open at once ({@code SETTINGS_MAX_CONCURRENT_STREAMS},
     * default 100); streams beyond it are refused with {@code REFUSED_STREAM} and never reach a handler.
     */
    public int getMaxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /** Sets {@link #getMaxConcurrentStreams()}. */
    public Limits setMaxConcurrentStreams(int streams) {
        this.maxConcurrentStreams = positive(streams, "maxConcurrentStreams");
        return this;
    }

    /**
     * The HTTP/2 flow-control window each request stream gets ({@code SETTINGS_INITIAL_WINDOW_SIZE},
     * default 1 MiB): the most request body bytes the server holds for a handler that has not read
     * them yet. A smaller window means less memory per stream and slower uploads over long distances.
     */
    public int getHttp2StreamWindow() {
        return http2StreamWindow;
    }

    /**
     * Sets {@link #getHttp2StreamWindow()}: 65,535 (the protocol's default, which a client may use for
     * a request it sends before it read the server's settings) to 2^31-1 bytes.
     *
     * @throws IllegalArgumentException for a smaller window
     */
    public Limits setHttp2StreamWindow(int bytes) {
        if (bytes < 65_535) {
            throw new IllegalArgumentException("http2StreamWindow must be at least 65535 bytes: " + bytes);
        }
        this.http2StreamWindow = bytes;
        return this;
    }

    // ---- resource caps: what one server may hold at once ------------------------------------------

    /**
     * Most connections the server's listeners keep open at once (default {@link Integer#MAX_VALUE}: no
     * cap, the process's file descriptor limit rules). Counted: every connection accepted by a listener,
     * HTTP/1, HTTP/2 or WebSocket, idle or busy, from its accept until it closes or is stolen; not the
     * streams given to {@link Server#acceptStream}. A connection beyond the cap is refused:
     * <ul>
     *   <li>on a plain listener it is answered {@code 503 Service Unavailable} with {@code Retry-After}
     *       ({@link #getRetryAfter()}) and {@code Connection: close}, without parsing its request, and
     *       closed (an HTTP/2 prior-knowledge client sees these HTTP/1.1 bytes as a failed preface);</li>
     *   <li>on an https listener it is closed at once, without a TLS handshake: the handshake would cost
     *       the overloaded server more than the refused connection, and the client learns nothing from
     *       a 503 it cannot read before the handshake anyway;</li>
     *   <li>when more than 128 refusals are being answered at once, further ones are closed at once.</li>
     * </ul>
     * Refusals are counted in {@link ServerStatistics#getConnectionsRefusedByServerLimit()}.
     */
    public int getMaxConnections() {
        return maxConnections;
    }

    /** Sets {@link #getMaxConnections()}; {@link Integer#MAX_VALUE} removes the cap. */
    public Limits setMaxConnections(int connections) {
        this.maxConnections = positive(connections, "maxConnections");
        return this;
    }

    /**
     * Most connections the server's listeners keep open at once from one remote IP address (default
     * {@link Integer#MAX_VALUE}: no cap). Counted and refused as {@link #getMaxConnections()} describes;
     * refusals are counted in {@link ServerStatistics#getConnectionsRefusedByAddressLimit()}. An IPv6
     * client is one address, not its /64 prefix; Unix-domain clients have no address and only the
     * server-wide cap applies to them. Turning this cap on while the server runs counts only the
     * connections accepted from then on.
     */
    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Sets {@link #getMaxConnectionsPerAddress()}; {@link Integer#MAX_VALUE} removes the cap. */
    public Limits setMaxConnectionsPerAddress(int connections) {
        this.maxConnectionsPerAddress = positive(connections, "maxConnectionsPerAddress");
        return this;
    }

    /**
     * Most request body bytes the server holds in memory for all requests together, in bytes: the bodies
     * it accumulates for handlers (what {@code getRequestBody()} holds). Default: a quarter of the JVM's
     * maximum heap ({@link Runtime#maxMemory()} when the {@code Limits} was made), at least 64 MiB.
     *
     * <p>A request whose {@code Content-Length} does not fit in what is left is answered {@code 503
     * Service Unavailable} with {@code Retry-After} before its body is read (and before any
     * {@code 100 Continue}); a body without a declared length (chunked, or HTTP/2 without
     * content-length) is counted block by block as it arrives and answered 503 when the next block does
     * not fit. HTTP/1 then closes the connection; HTTP/2 ends the stream. Refusals are counted in
     * {@link ServerStatistics#getRequestsRefusedByBodyBudget()}. Bodies handlers stream (the request
     * body stream, or accumulation turned off in an early handler) are not counted. A body's bytes are
     * given back when its exchange ends (the response was written or the exchange aborted). Set it at
     * least as large as {@link #getMaxRequestBodySize()}, or the largest bodies can never be accepted.
     */
    public long getRequestBodyMemoryBudget() {
        return requestBodyMemoryBudget;
    }

    /** Sets {@link #getRequestBodyMemoryBudget()}; {@link Long#MAX_VALUE} removes the budget. */
    public Limits setRequestBodyMemoryBudget(long bytes) {
        this.requestBodyMemoryBudget = positive(bytes, "requestBodyMemoryBudget");
        return this;
    }

    /**
     * Longest time the server waits for the application to answer a request, from the call of a
     * handler until the response head is written (default {@link Duration#ZERO}: off). Checked four
     * times a second.
     *
     * <p>The clock runs while an early or normal handler runs and while the message is paused
     * ({@code pause()}) before its response head was written; a paused message counts as a handler
     * still working. It restarts whenever the handler reads request body bytes through the body stream,
     * so a long upload a handler consumes is not cut; the server's own body reading between the handlers
     * does not count (the body read timeout covers it). Once the head is written (including a streamed
     * response's head) the response timeout no longer applies; the write timeout does.
     *
     * <p>When it fires, the client gets {@code 503 Service Unavailable} with {@code Retry-After} (503
     * rather than 500: a handler that does not answer in time usually waits on something overloaded,
     * and 503 tells clients and load balancers that trying later or elsewhere may work), written by the
     * server itself while the handler may still run. Over HTTP/1 the connection is then closed (after a
     * short grace so the client can read the answer); over HTTP/2 only the stream ends, reset with
     * {@code NO_ERROR} if its request body was still coming. The handler's thread is interrupted; what
     * it writes afterwards fails, a paused message's later {@code unpause()} is ignored, and the
     * exchange ends as aborted (the request-aborted event fires) once the handler returns. A handler
     * that ignores the interrupt keeps its thread and its connection's place in
     * {@link #getMaxConnections()} until it returns. Counted in
     * {@link ServerStatistics#getResponseTimeouts()}.
     */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /** Sets {@link #getResponseTimeout()}; {@link Duration#ZERO} turns it off. */
    public Limits setResponseTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("responseTimeout must not be negative: " + timeout);
        }
        this.responseTimeout = timeout;
        return this;
    }

    /**
     * The delay the {@code Retry-After} field of the server's own 503 answers advises (connection caps,
     * body budget, response timeout), sent in whole seconds rounded up (default 1 s).
     */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    /** Sets {@link #getRetryAfter()}; zero is allowed ({@code Retry-After: 0}). */
    public Limits setRetryAfter(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + delay);
        }
        this.retryAfter = delay;
        return this;
    }

    private static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
