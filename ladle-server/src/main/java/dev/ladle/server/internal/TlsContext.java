package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsProfile;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JSSE objects built from one combination of a server's TLS settings: certificate, trust database,
 * client-certificate mode and profile. Built once per combination and shared by all connections, so TLS
 * sessions can be resumed; a change of setting builds a new one for later connections.
 */
final class TlsContext {
    /** ALPN protocols, in order of preference (libsoup offers the same). */
    static final String[] APPLICATION_PROTOCOLS = {"http/1.1", "http/1.0"};
    /** ALPN protocols when HTTP/2 is on: {@code h2} first (RFC 9113 section 3.2). */
    static final String[] APPLICATION_PROTOCOLS_H2 = {"h2", "http/1.1", "http/1.0"};
    /** Protects the key in the in-memory store only; the key never leaves this process. */
    private static final char[] KEY_PASSWORD = "ladle".toCharArray();

    final TlsCertificate certificate;
    final TlsDatabase database;
    final TlsAuthMode mode;
    final TlsProfile profile;
    final SSLSocketFactory socketFactory;
    final SSLParameters parameters;
    /** {@link #parameters} offering {@code h2} too. */
    final SSLParameters parametersWithH2;
    final ClientCertificateTrustManager trustManager;

    private TlsContext(TlsCertificate certificate, TlsDatabase database, TlsAuthMode mode, TlsProfile profile,
                       SSLContext context, ClientCertificateTrustManager trustManager) {
        this.certificate = certificate;
        this.database = database;
        this.mode = mode;
        this.profile = profile;
        this.socketFactory = context.getSocketFactory();
        this.trustManager = trustManager;
        SSLParameters params = context.getDefaultSSLParameters();
        // named groups and signature schemes stay the JDK's defaults, which are the secure ones
        params.setProtocols(profile.protocols().toArray(String[]::new));
        params.setCipherSuites(profile.cipherSuites().toArray(String[]::new));
        params.setApplicationProtocols(APPLICATION_PROTOCOLS);
        params.setUseCipherSuitesOrder(true);
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
        withH2.setNeedClientAuth(params.getNeedClientAuth());
        if (mode == TlsAuthMode.REQUESTED) {
            withH2.setWantClientAuth(true);
        }
        this.parametersWithH2 = withH2;
    }

    /** True when this context was built from exactly these settings. */
    boolean matches(TlsCertificate certificate, TlsDatabase database, TlsAuthMode mode, TlsProfile profile) {
        return this.certificate == certificate && this.database == database && this.mode == mode
                && this.profile == profile;
    }

    /**
     * Builds the context for these settings.
     *
     * @param database the trust database, or null for the system's
     * @throws IllegalStateException when the JDK cannot build it (it lacks TLS or rejects the key)
     */
    static TlsContext build(TlsCertificate certificate, TlsDatabase database, TlsAuthMode mode, TlsProfile profile) {
        try {
            // SunX509 reads the key once here; the PKIX factory would fetch it from the store on each handshake
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(keyStore(certificate), KEY_PASSWORD);
            TlsDatabase trust = database != null ? database : TlsDatabase.system();
            ClientCertificateTrustManager trustManager = new ClientCertificateTrustManager(new CertificateErrors(trust.trustManager()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), new TrustManager[] {trustManager}, null);
            return new TlsContext(certificate, database, mode, profile, context, trustManager);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for " + certificate + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(TlsCertificate certificate) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("JKS");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create an empty key store", e);
        }
        List<X509Certificate> chain = certificate.getCertificateChain();
        store.setKeyEntry("server", certificate.getPrivateKey(), KEY_PASSWORD, chain.toArray(new X509Certificate[0]));
        return store;
    }
}
