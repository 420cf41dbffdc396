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
