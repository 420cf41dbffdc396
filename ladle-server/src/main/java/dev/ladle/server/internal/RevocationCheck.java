package dev.ladle.server.internal;

import dev.ladle.tls.TlsRevocation;
import dev.ladle.tls.TlsRevocationStatus;
import java.security.GeneralSecurityException;
import java.security.cert.CRLReason;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateRevokedException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the revocation status of a client chain that verifies against the trust database, as one
 * {@link TlsRevocation} says: the JDK's PKIX validator with a {@link PKIXRevocationChecker} set up for
 * this instance (never from JVM-wide properties) and a {@link CertStore} holding the CRLs.
 *
 * <p>The JDK's validator stops at the first certificate whose status it cannot determine, and checks
 * from the anchor down, so an undetermined intermediate would hide a revoked leaf. So when the status of
 * a certificate is undetermined, the certificates below it are checked again with it as their anchor
 * (it was verified already); each certificate is checked once. Thread-safe: the JDK objects that keep
 * state are made per check.
 */
final class RevocationCheck {
    private static final System.Logger LOG = System.getLogger("dev.ladle.tls");

    private final TlsRevocation settings;
    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final CertStore crls;

    /**
     * @param settings what to check; must be {@linkplain TlsRevocation#isEnabled() enabled}
     * @param trusted the trust database's certificates
     */
    RevocationCheck(TlsRevocation settings, X509Certificate[] trusted) {
        this.settings = settings;
        for (X509Certificate certificate : trusted) {
            anchors.add(new TrustAnchor(certificate, null));
        }
        try {
            this.crls = CertStore.getInstance("Collection", new CollectionCertStoreParameters(settings.getCrls()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no collection CertStore", e);
        }
    }

    /** Returns true when an undetermined status is no error. */
    boolean softFail() {
        return settings.isSoftFail();
    }

    /** Returns the revocation status of {@code chain} (leaf first), which must verify against the database. */
    TlsRevocationStatus check(X509Certificate[] chain) {
        PKIXCertPathBuilderResult built;
        try {
            built = pathToAnchor(chain);
        } catch (GeneralSecurityException e) {
            return TlsRevocationStatus.undetermined(chain[0], "no path to a trusted certificate: " + e.getMessage());
        }
        TrustAnchor anchor = built.getTrustAnchor();
        List<X509Certificate> unchecked = new ArrayList<>();
        for (Certificate certificate : built.getCertPath().getCertificates()) {
            unchecked.add((X509Certificate) certificate);
        }
        TlsRevocationStatus status = TlsRevocationStatus.good();
        while (!unchecked.isEmpty()) {
            CertPathValidatorException failure = validate(unchecked, anchor);
            if (failure == null) {
                break;
            }
            int index = failure.getIndex();
            X509Certificate culprit = index >= 0 && index < unchecked.size() ? unchecked.get(index) : unchecked.get(0);
            if (failure.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                status = revoked(culprit, failure);
                break;
            }
            if (status.state() == TlsRevocationStatus.State.GOOD) {
                status = TlsRevocationStatus.undetermined(culprit, describe(failure));
            }
            if (index < 0 || index >= unchecked.size()) {
                break;
            }
            anchor = new TrustAnchor(culprit, null);
            unchecked = unchecked.subList(0, index);
        }
        LOG.log(System.Logger.Level.DEBUG, "revocation of {0}: {1}", chain[0].getSubjectX500Principal(), status);
        return status;
    }

    /** Orders the presented chain into a path up to a trust anchor, without revocation checking. */
    private PKIXCertPathBuilderResult pathToAnchor(X509Certificate[] chain) throws GeneralSecurityException {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(chain[0]);
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(chain))));
        params.setRevocationEnabled(false);
        return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
    }

    /** Validates {@code path} (leaf first) under {@code anchor} with revocation checking; returns the failure or null. */
    private CertPathValidatorException validate(List<X509Certificate> path, TrustAnchor anchor) {
        try {
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            Set<PKIXRevocationChecker.Option> options = EnumSet.noneOf(PKIXRevocationChecker.Option.class);
            if (!settings.isOcspEnabled()) {
                options.add(PKIXRevocationChecker.Option.PREFER_CRLS);
                options.add(PKIXRevocationChecker.Option.NO_FALLBACK);
            } else if (settings.getCrls().isEmpty()) {
                // OCSP alone: falling back to CRLs would only look for distribution points, which are never fetched
                options.add(PKIXRevocationChecker.Option.NO_FALLBACK);
            }
            checker.setOptions(options);
            if (settings.getOcspResponder() != null) {
                checker.setOcspResponder(settings.getOcspResponder());
            }
            PKIXParameters params = new PKIXParameters(Set.of(anchor));
            params.setRevocationEnabled(true);
            params.addCertStore(crls);
            params.addCertPathChecker(checker);
            validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return null;
        } catch (CertPathValidatorException e) {
            return e;
        } catch (GeneralSecurityException e) {
            return new CertPathValidatorException("cannot check revocation: " + e.getMessage(), e);
        }
    }

    private static TlsRevocationStatus revoked(X509Certificate certificate, CertPathValidatorException failure) {
        if (failure.getCause() instanceof CertificateRevokedException revoked) {
            return TlsRevocationStatus.revoked(certificate, revoked.getRevocationReason(),
                    revoked.getRevocationDate().toInstant(), revoked.getMessage());
        }
        // the JDK always gives the details; should one not, the revocation still counts
        return TlsRevocationStatus.revoked(certificate, CRLReason.UNSPECIFIED, null, describe(failure));
    }

    /** The validator's message with its cause's, which names the network error or the missing CRL. */
    private static String describe(CertPathValidatorException failure) {
        Throwable cause = failure.getCause();
        return cause == null || cause.getMessage() == null || failure.getMessage().contains(cause.getMessage())
                ? failure.getMessage() : failure.getMessage() + ": " + cause.getMessage();
    }
}
