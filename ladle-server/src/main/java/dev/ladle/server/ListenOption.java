package dev.ladle.server;

/** Options of the {@code Server.listen*} methods (libsoup's {@code SoupServerListenOptions}). */
public enum ListenOption {
    /** Serve https on this listener; the server needs a TLS certificate. */
    HTTPS,
    /** Listen on IPv4 only ({@code listenLocal}/{@code listenAll}). */
    IPV4_ONLY,
    /** Listen on IPv6 only ({@code listenLocal}/{@code listenAll}). */
    IPV6_ONLY,
    /**
     * Bind with {@code SO_REUSEPORT}, so that other sockets bound with it (in this process or another,
     * of the same user) may listen on the same address and port at once; the kernel spreads new
     * connections over them. This is how a new process takes over a port while the old one
     * {@linkplain Server#startDraining() drains}. TCP listeners only ({@code listen}, {@code listenLocal},
     * {@code listenAll}); the {@code listen*} methods throw {@link UnsupportedOperationException} on a
     * platform without {@code SO_REUSEPORT} and {@link IllegalArgumentException} for a Unix-domain
     * address or an already bound channel given to {@code listenSocket}.
     *
     * <p>On Linux, connections that wait in a listener's accept queue when it closes are reset: a process
     * handing its port over should keep its listener open while it drains ({@link Server#drain}).
     */
    REUSE_PORT,
    /**
     * Every connection must start with a PROXY protocol header (HAProxy's specification, version 1 or 2),
     * as a load balancer sends it ({@code send-proxy}, {@code send-proxy-v2}, nginx's {@code proxy_protocol}).
     * The client address it carries becomes {@link ServerMessage#getRemoteAddress()} of every request
     * on the connection (and counts for {@link Limits#getMaxConnectionsPerAddress()}); the balancer's own
     * address stays {@link ServerMessage#getPeerAddress()}, and the header itself is
     * {@link ServerMessage#getProxyHeader()}. A {@code LOCAL} header (version 2, a balancer's health
     * check) or {@code UNKNOWN} (version 1) keeps the balancer's address.
     *
     * <p>The header is read before anything else: before the TLS handshake on an {@link #HTTPS}
     * listener, before the HTTP/2 preface or the first HTTP/1 request otherwise. A connection whose
     * first bytes are not a complete, valid header within {@link Limits#getHeaderTimeout()} is closed
     * without any answer. Only the bytes of the header are read, so a request sent in the same packet
     * is served as usual.
     *
     * <p>Only use it where every client is a balancer that sends the header: anyone able to connect
     * could otherwise claim any address. A listener without this option never interprets a header (a
     * request that starts with {@code PROXY} is a bad request there).
     */
    PROXY_PROTOCOL
}
