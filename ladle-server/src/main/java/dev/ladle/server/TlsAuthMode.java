package dev.ladle.server;

/** Whether https listeners ask clients for a certificate (GIO's {@code GTlsAuthenticationMode}). */
public enum TlsAuthMode {
    /** Do not ask for a client certificate. */
    NONE,
    /** Ask for one; clients without a certificate, or with one that fails verification, are still served. */
    REQUESTED,
    /** Require a valid certificate; the handshake fails without one. */
    REQUIRED
}
