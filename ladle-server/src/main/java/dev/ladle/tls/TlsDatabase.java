package dev.ladle.tls;

/** Trusted certificate authorities, for verifying client certificates. */
public final class TlsDatabase {
    private TlsDatabase() {
    }
}
