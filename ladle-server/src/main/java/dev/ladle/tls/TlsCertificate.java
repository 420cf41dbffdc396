package dev.ladle.tls;

/** A certificate chain with its private key, for https listeners. */
public final class TlsCertificate {
    private TlsCertificate() {
    }
}
