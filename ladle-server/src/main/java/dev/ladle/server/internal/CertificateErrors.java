package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificateFlag;
import dev.ladle.tls.TlsRevocationStatus;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Verifies a client certificate chain against a trust database and names every problem found as
 * {@link TlsCertificateFlag}s, as GnuTLS does for libsoup: an expired certificate from an unknown
 * authority is both {@code EXPIRED} and {@code UNKNOWN_CA}. The JDK's trust manager gives a single
 * exception, so validity and the trust anchor are checked here first and its verdict fills the rest.
 * When revocation is checked, a chain without other problems is checked for it last: revoked is
 * {@code REVOKED}, undetermined under hard-fail is {@code GENERIC_ERROR}.
 */
final class CertificateErrors {
    private final X509ExtendedTrustManager database;
    private final Map<X500Principal, List<X509Certificate>> anchorsBySubject = new HashMap<>();
    /** Null when revocation is not checked. */
    private final RevocationCheck revocation;

    /** What verifying one chain found: its problems, and its revocation status (when checked). */
    record Verification(Set<TlsCertificateFlag> errors, TlsRevocationStatus revocation) {
    }

    /**
     * @param database the trust manager of the trust database
     * @param revocation the revocation check, or null for none
     */
    CertificateErrors(X509ExtendedTrustManager database, RevocationCheck revocation) {
        this.database = database;
        this.revocation = revocation;
        for (X509Certificate anchor : database.getAcceptedIssuers()) {
            anchorsBySubject.computeIfAbsent(anchor.getSubjectX500Principal(), s -> new ArrayList<>()).add(anchor);
        }
    }

    /** Returns the issuers to name in a certificate request. */
    X509Certificate[] acceptedIssuers() {
        return database.getAcceptedIssuers();
    }

    /**
     * Returns the problems with {@code chain} (leaf first), none when the database trusts it and it is not
     * revoked, and its revocation status.
     *
     * @param socket the TLS socket it arrived on, so the JDK applies the connection's algorithm constraints;
     *     may be null
     */
    Verification verify(X509Certificate[] chain, String authType, Socket socket) {
        Set<TlsCertificateFlag> errors = problems(chain, authType, socket);
        if (revocation == null || !errors.isEmpty()) {
            // a chain that does not verify has no path whose revocation could be checked
            return new Verification(errors, TlsRevocationStatus.notChecked());
        }
        TlsRevocationStatus status = revocation.check(chain);
        switch (status.state()) {
            case REVOKED -> errors.add(TlsCertificateFlag.REVOKED);
            case UNDETERMINED -> {
                if (!revocation.softFail()) {
                    errors.add(TlsCertificateFlag.GENERIC_ERROR);
                }
            }
            case GOOD, NOT_CHECKED -> {
                // nothing wrong
            }
        }
        return new Verification(errors, status);
    }

    /** Returns the problems with {@code chain} apart from revocation. */
    private Set<TlsCertificateFlag> problems(X509Certificate[] chain, String authType, Socket socket) {
        Set<TlsCertificateFlag> errors = EnumSet.noneOf(TlsCertificateFlag.class);
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                errors.add(TlsCertificateFlag.EXPIRED);
            } catch (CertificateNotYetValidException e) {
                errors.add(TlsCertificateFlag.NOT_ACTIVATED);
            }
        }
        if (!reachesAnchor(chain)) {
            errors.add(TlsCertificateFlag.UNKNOWN_CA);
        }
        try {
            if (socket != null) {
                database.checkClientTrusted(chain, authType, socket);
            } else {
                database.checkClientTrusted(chain, authType);
            }
        } catch (CertificateException | RuntimeException e) {
            TlsCertificateFlag flag = classify(e);
            // the JDK reports one problem; keep it unless it only restates what was found above
            if (errors.isEmpty() || flag != TlsCertificateFlag.GENERIC_ERROR && flag != TlsCertificateFlag.UNKNOWN_CA) {
                errors.add(flag);
            }
        }
        return errors;
    }

    /** True when a certificate of the chain is trusted itself or is signed by a trusted one. */
    private boolean reachesAnchor(X509Certificate[] chain) {
        for (X509Certificate certificate : chain) {
            List<X509Certificate> same = anchorsBySubject.get(certificate.getSubjectX500Principal());
            if (same != null && same.contains(certificate)) {
                return true;
            }
            List<X509Certificate> issuers = anchorsBySubject.get(certificate.getIssuerX500Principal());
            if (issuers != null) {
                for (X509Certificate issuer : issuers) {
                    try {
                        certificate.verify(issuer.getPublicKey());
                        return true;
                    } catch (GeneralSecurityException | RuntimeException e) {
                        // signed by another key with the same name: keep looking
                    }
                }
            }
        }
        return false;
    }

    /** Names the cause of a trust manager's refusal. */
    private static TlsCertificateFlag classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathValidatorException validator) {
                if (validator.getReason() instanceof CertPathValidatorException.BasicReason reason) {
                    switch (reason) {
                        case EXPIRED -> {
                            return TlsCertificateFlag.EXPIRED;
                        }
                        case NOT_YET_VALID -> {
                            return TlsCertificateFlag.NOT_ACTIVATED;
                        }
                        case REVOKED -> {
                            return TlsCertificateFlag.REVOKED;
                        }
                        case ALGORITHM_CONSTRAINED -> {
                            return TlsCertificateFlag.INSECURE;
                        }
                        default -> {
                            // look further down the chain of causes
                        }
                    }
                }
            } else if (cause instanceof CertPathBuilderException) {
                return TlsCertificateFlag.UNKNOWN_CA;
            } else if (cause instanceof CertificateExpiredException) {
                return TlsCertificateFlag.EXPIRED;
            } else if (cause instanceof CertificateNotYetValidException) {
                return TlsCertificateFlag.NOT_ACTIVATED;
            }
        }
        return TlsCertificateFlag.GENERIC_ERROR;
    }
}
