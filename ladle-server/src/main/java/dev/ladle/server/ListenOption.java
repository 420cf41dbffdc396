package dev.ladle.server;

/** Options of the {@code Server.listen*} methods (libsoup's {@code SoupServerListenOptions}). */
public enum ListenOption {
    /** Serve https on this listener; the server needs a TLS certificate. */
    HTTPS,
    /** Listen on IPv4 only ({@code listenLocal}/{@code listenAll}). */
    IPV4_ONLY,
    /** Listen on IPv6 only ({@code listenLocal}/{@code listenAll}). */
    IPV6_ONLY
}
