package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificateFlag;
import dev.ladle.tls.TlsRevocationStatus;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The client-certificate decision of one handshake: what the client presented, what is wrong with it,
 * and whether it is accepted. A chain the database trusts is accepted. Otherwise the
 * accept-certificate predicate decides when there is one; without one, {@code REQUESTED} serves the
 * client anyway (the errors stay visible on its messages) and {@code REQUIRED} refuses it.
 */
final class ClientCertificateCheck {
    private static final System.Logger LOG = System.getLogger("dev.ladle.tls");

    private final TlsAuthMode mode;
    private final BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> acceptCertificate;
    private List<X509Certificate> chain = List.of();
    private Set<TlsCertificateFlag> errors = Set.of();
    private TlsRevocationStatus revocation = TlsRevocationStatus.notChecked();
    private boolean examined;

    ClientCertificateCheck(TlsAuthMode mode, BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> acceptCertificate) {
        this.mode = mode;
        this.acceptCertificate = acceptCertificate;
    }

    /** Records a presented chain and what verifying it found; returns true when the handshake may go on. */
    boolean decide(X509Certificate[] presented, CertificateErrors.Verification verification) {
        record(presented, verification);
        if (errors.isEmpty()) {
            return true;
        }
        if (acceptCertificate == null) {
            return mode == TlsAuthMode.REQUESTED;
        }
        try {
            return acceptCertificate.test(chain, errors);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "accept-certificate listener failed; refusing the client certificate", e);
            return false;
        }
    }

    /** Records a chain accepted earlier (a resumed session) without deciding again. */
    void record(X509Certificate[] presented, CertificateErrors.Verification verification) {
        Set<TlsCertificateFlag> problems = verification.errors();
        this.chain = List.of(presented);
        this.errors = problems.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(problems));
        this.revocation = verification.revocation();
        this.examined = true;
    }

    /** True once a chain was recorded. */
    boolean examined() {
        return examined;
    }

    List<X509Certificate> chain() {
        return chain;
    }

    Set<TlsCertificateFlag> errors() {
        return errors;
    }

    TlsRevocationStatus revocation() {
        return revocation;
    }
}
