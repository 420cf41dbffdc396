package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsDatabase;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JSSE objects built from one combination of a server's {@link TlsSettings}: certificates, trust
 * database, client-certificate mode, revocation checking and profile. Built once per combination and
 * shared by all connections, so TLS sessions can be resumed; a change of setting builds a new one for
 * later connections.
 */
final class TlsContext {
    /** ALPN protocols, in order of preference (libsoup offers the same). */
    static final String[] APPLICATION_PROTOCOLS = {"http/1.1", "http/1.0"};
    /** ALPN protocols when HTTP/2 is on: {@code h2} first (RFC 9113 section 3.2). */
    static final String[] APPLICATION_PROTOCOLS_H2 = {"h2", "http/1.1", "http/1.0"};

    final TlsSettings settings;
    final TlsAuthMode mode;
    final SSLSocketFactory socketFactory;
    final SSLParameters parameters;
    /** {@link #parameters} offering {@code h2} too. */
    final SSLParameters parametersWithH2;
    final ClientCertificateTrustManager trustManager;

    private TlsContext(TlsSettings settings, SSLContext context, ClientCertificateTrustManager trustManager) {
        this.settings = settings;
        this.mode = settings.mode();
        this.socketFactory = context.getSocketFactory();
        this.trustManager = trustManager;
        this.parameters = parameters(context, settings, APPLICATION_PROTOCOLS);
        this.parametersWithH2 = parameters(context, settings, APPLICATION_PROTOCOLS_H2);
    }

    private static SSLParameters parameters(SSLContext context, TlsSettings settings, String[] applicationProtocols) {
        SSLParameters params = context.getDefaultSSLParameters();
        // named groups and signature schemes stay the JDK's defaults, which are the secure ones
        params.setProtocols(settings.profile().protocols().toArray(String[]::new));
        params.setCipherSuites(settings.profile().cipherSuites().toArray(String[]::new));
        params.setApplicationProtocols(applicationProtocols);
        params.setUseCipherSuitesOrder(true);
        params.setSNIMatchers(List.of(ServerNameKeyManager.ANY_HOST_NAME));
        switch (settings.mode()) {
            case REQUIRED -> params.setNeedClientAuth(true);
            case REQUESTED -> params.setWantClientAuth(true);
            case NONE -> params.setNeedClientAuth(false);
        }
        return params;
    }

    /** True when this context was built from exactly these settings. */
    boolean matches(TlsSettings settings) {
        return this.settings.sameAs(settings);
    }

    /**
     * Builds the context for these settings.
     *
     * @throws IllegalStateException when the JDK cannot build it (it lacks TLS or rejects the key)
     */
    static TlsContext build(TlsSettings settings) {
        try {
            KeyManager[] keys = {new ServerNameKeyManager(settings.certificates())};
            TlsDatabase trust = settings.database() != null ? settings.database() : TlsDatabase.system();
            RevocationCheck revocationCheck = settings.revocation().isEnabled()
                    ? new RevocationCheck(settings.revocation(), trust.trustManager().getAcceptedIssuers()) : null;
            ClientCertificateTrustManager trustManager = new ClientCertificateTrustManager(
                    new CertificateErrors(trust.trustManager(), revocationCheck));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trustManager}, null);
            return new TlsContext(settings, context, trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for " + settings.certificates() + ": "
                    + e.getMessage(), e);
        }
    }
}
