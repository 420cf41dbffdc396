package dev.ladle.tls;

import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * What revocation checking found for a client's certificate chain (see {@link TlsRevocation}): the
 * worst status of its certificates, {@code REVOKED} before {@code UNDETERMINED} before {@code GOOD}.
 *
 * @param state the outcome
 * @param certificate the certificate revoked or whose status is undetermined; null for {@code GOOD} and
 *     {@code NOT_CHECKED}
 * @param reason why it was revoked, as the CRL or OCSP response says ({@link CRLReason#UNSPECIFIED} when
 *     it gives none); null unless {@code REVOKED}
 * @param revocationDate when it was revoked; null unless {@code REVOKED} (and, should a checker not say, then)
 * @param detail what the checker reported, for logs (the JDK's message); empty for {@code GOOD} and
 *     {@code NOT_CHECKED}
 */
public record TlsRevocationStatus(State state, X509Certificate certificate, CRLReason reason, Instant revocationDate,
                                  String detail) {
    /** The status of a chain that was not checked. */
    private static final TlsRevocationStatus NOT_CHECKED = new TlsRevocationStatus(State.NOT_CHECKED, null, null, null, "");
    /** The status of a chain whose every certificate is known not to be revoked. */
    private static final TlsRevocationStatus GOOD = new TlsRevocationStatus(State.GOOD, null, null, null, "");

    /** The outcome of revocation checking. */
    public enum State {
        /**
         * Not checked: no {@link TlsRevocation} is set, the connection has no client certificate or no TLS,
         * or the chain failed verification before revocation mattered (its other flags say why).
         */
        NOT_CHECKED,
        /** No certificate of the chain is revoked. */
        GOOD,
        /** A certificate of the chain is revoked ({@link TlsCertificateFlag#REVOKED}). */
        REVOKED,
        /**
         * The status of a certificate could not be determined (and none is known to be revoked): an error
         * ({@link TlsCertificateFlag#GENERIC_ERROR}) under hard-fail, none under soft-fail.
         */
        UNDETERMINED
    }

    /**
     * Checks that the fields fit the state.
     *
     * @throws IllegalArgumentException when a field that the state requires is null, or one it excludes is set
     */
    public TlsRevocationStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        boolean aboutOne = state == State.REVOKED || state == State.UNDETERMINED;
        if (aboutOne != (certificate != null)) {
            throw new IllegalArgumentException(state + " status " + (aboutOne ? "needs" : "takes no") + " certificate");
        }
        boolean revoked = state == State.REVOKED;
        if (revoked != (reason != null) || !revoked && revocationDate != null) {
            throw new IllegalArgumentException(state + " status " + (revoked ? "needs a reason" : "takes no reason or date"));
        }
    }

    /** Returns the status of a chain that was not checked. */
    public static TlsRevocationStatus notChecked() {
        return NOT_CHECKED;
    }

    /** Returns the status of a chain none of whose certificates is revoked. */
    public static TlsRevocationStatus good() {
        return GOOD;
    }

    /** Returns the status of a chain in which {@code certificate} was revoked. */
    public static TlsRevocationStatus revoked(X509Certificate certificate, CRLReason reason, Instant revocationDate,
                                              String detail) {
        return new TlsRevocationStatus(State.REVOKED, certificate, reason, revocationDate, detail);
    }

    /** Returns the status of a chain in which the status of {@code certificate} could not be determined. */
    public static TlsRevocationStatus undetermined(X509Certificate certificate, String detail) {
        return new TlsRevocationStatus(State.UNDETERMINED, certificate, null, null, detail);
    }

    /** Returns true when a certificate of the chain is revoked. */
    public boolean isRevoked() {
        return state == State.REVOKED;
    }

    /** Describes the status with the certificate's subject, never its encoding. */
    @Override
    public String toString() {
        return switch (state) {
            case NOT_CHECKED, GOOD -> state.name();
            case REVOKED -> "REVOKED " + certificate.getSubjectX500Principal().getName() + " (" + reason + ", " + revocationDate + ")";
            case UNDETERMINED -> "UNDETERMINED " + certificate.getSubjectX500Principal().getName() + " (" + detail + ")";
        };
    }
}
