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
    REUSE_PORT
}
