package dev.ladle.bench;

/**
 * A running benchmark server: one of the peers or Ladle, answering the endpoints every server in the
 * benchmark shares (see {@link Endpoints}). Closing it stops the server and frees its port.
 */
public interface BenchServer extends AutoCloseable {

    /** Returns the port the server listens on (the real one when 0 was asked for). */
    int port();

    /** Returns true when this server answers a WebSocket echo at {@link Endpoints#WEBSOCKET}. */
    boolean hasWebSocket();

    /**
     * Returns true when this server speaks HTTP/2 next to HTTP/1.1 on the same port: h2c with prior
     * knowledge on a plain port, h2 chosen by ALPN on a TLS port.
     */
    boolean hasHttp2();

    /** Stops the server; it no longer accepts connections when this returns. */
    @Override
    void close() throws Exception;
}
