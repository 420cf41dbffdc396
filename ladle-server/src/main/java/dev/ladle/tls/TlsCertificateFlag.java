package dev.ladle.tls;

/** What is wrong with a peer certificate (GIO's {@code GTlsCertificateFlags}). */
public enum TlsCertificateFlag {
    /** The signing certificate authority is not trusted. */
    UNKNOWN_CA,
    /** The certificate does not match the expected identity. */
    BAD_IDENTITY,
    /** The certificate's activation time is still in the future. */
    NOT_ACTIVATED,
    /** The certificate has expired. */
    EXPIRED,
    /** The certificate has been revoked. */
    REVOKED,
    /** The certificate uses an insecure algorithm. */
    INSECURE,
    /** Some other error occurred validating the certificate. */
    GENERIC_ERROR
}
