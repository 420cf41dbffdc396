package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsRevocation;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JSSE objects built from one combination of a server's TLS settings: certificates, trust database,
 * client-certificate mode and revocation checking. Built once per combination and shared by all connections, so TLS
 * sessions can be resumed; a change of setting builds a new one for later connections.
 */
final class TlsContext {
    /** TLS versions offered; older ones are insecure. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** ALPN protocols, in order of preference (libsoup offers the same). */
    static final String[] APPLICATION_PROTOCOLS = {"http/1.1", "http/1.0"};
    /** ALPN protocols when HTTP/2 is on: {@code h2} first (RFC 9113 section 3.2). */
    static final String[] APPLICATION_PROTOCOLS_H2 = {"h2", "http/1.1", "http/1.0"};

    final ServerCertificates certificates;
    final TlsDatabase database;
    final TlsAuthMode mode;
    final SSLSocketFactory socketFactory;
    final SSLParameters parameters;
    /** {@link #parameters} offering {@code h2} too. */
    final SSLParameters parametersWithH2;
    final ClientCertificateTrustManager trustManager;
    /** Client-certificate revocation checking. */
    final TlsRevocation revocation;

    private TlsContext(ServerCertificates certificates, TlsDatabase database, TlsAuthMode mode, TlsRevocation revocation,
                       SSLContext context, ClientCertificateTrustManager trustManager) {
        this.certificates = certificates;
        this.database = database;
        this.mode = mode;
        this.revocation = revocation;
        this.socketFactory = context.getSocketFactory();
        this.trustManager = trustManager;
        SSLParameters params = context.getDefaultSSLParameters();
        params.setProtocols(PROTOCOLS);
        params.setCipherSuites(Arrays.stream(params.getCipherSuites()).filter(TlsContext::acceptableSuite).toArray(String[]::new));
        params.setApplicationProtocols(APPLICATION_PROTOCOLS);
        params.setUseCipherSuitesOrder(true);
        params.setSNIMatchers(List.of(ServerNameKeyManager.ANY_HOST_NAME));
        switch (mode) {
            case REQUIRED -> params.setNeedClientAuth(true);
            case REQUESTED -> params.setWantClientAuth(true);
            case NONE -> params.setNeedClientAuth(false);
        }
        this.parameters = params;
        SSLParameters withH2 = context.getDefaultSSLParameters();
        withH2.setProtocols(params.getProtocols());
        withH2.setCipherSuites(params.getCipherSuites());
        withH2.setApplicationProtocols(APPLICATION_PROTOCOLS_H2);
        withH2.setUseCipherSuitesOrder(true);
        withH2.setSNIMatchers(params.getSNIMatchers());
        withH2.setNeedClientAuth(params.getNeedClientAuth());
        if (mode == TlsAuthMode.REQUESTED) {
            withH2.setWantClientAuth(true);
        }
        this.parametersWithH2 = withH2;
    }

    /**
     * True for the suites worth offering among the JDK's defaults: not static RSA (no forward secrecy,
     * RFC 9325) and not CBC with a SHA-1 MAC, which some JDK versions still enable by default.
     */
    static boolean acceptableSuite(String suite) {
        return !suite.startsWith("TLS_RSA_") && !suite.endsWith("_SHA") && !suite.startsWith("SSL_");
    }

    /** True when this context was built from exactly these settings. */
    boolean matches(ServerCertificates certificates, TlsDatabase database, TlsAuthMode mode, TlsRevocation revocation) {
        return this.certificates == certificates && this.database == database && this.mode == mode
                && this.revocation == revocation;
    }

    /**
     * Builds the context for these settings.
     *
     * @param database the trust database, or null for the system's
     * @param revocation how client certificates are checked for revocation
     * @throws IllegalStateException when the JDK cannot build it (it lacks TLS or rejects the key)
     */
    static TlsContext build(ServerCertificates certificates, TlsDatabase database, TlsAuthMode mode,
                            TlsRevocation revocation) {
        try {
            KeyManager[] keys = {new ServerNameKeyManager(certificates)};
            TlsDatabase trust = database != null ? database : TlsDatabase.system();
            RevocationCheck revocationCheck = revocation.isEnabled()
                    ? new RevocationCheck(revocation, trust.trustManager().getAcceptedIssuers()) : null;
            ClientCertificateTrustManager trustManager = new ClientCertificateTrustManager(
                    new CertificateErrors(trust.trustManager(), revocationCheck));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trustManager}, null);
            return new TlsContext(certificates, database, mode, revocation, context, trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for " + certificates + ": " + e.getMessage(), e);
        }
    }
}
