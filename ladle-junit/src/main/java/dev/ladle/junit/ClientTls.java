package dev.ladle.junit;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the client of a test server needs to trust it, made from certificates held in memory: a trust
 * store, a trust manager, an {@link SSLContext}. The JDK's own PKIX validation does the checking.
 */
final class ClientTls {
    private ClientTls() {
    }

    /**
     * An in-memory trust store holding {@code trusted}.
     *
     * @throws IllegalStateException when the JDK cannot make a PKCS #12 key store
     */
    static KeyStore trustStore(List<X509Certificate> trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot build an in-memory key store", e);
        }
    }

    /**
     * A trust manager that trusts the certificates in {@code store} and what they issued, and nothing
     * else.
     *
     * @throws IllegalStateException when the JDK's PKIX trust manager cannot be made
     */
    static X509TrustManager trustManager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX TrustManagerFactory made no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build a trust manager: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS context that trusts what {@code trust} trusts and presents what {@code keys} hold (null:
     * no client certificate).
     *
     * @throws IllegalStateException when the JDK cannot make a TLS context
     */
    static SSLContext sslContext(KeyManager[] keys, X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build an SSLContext: " + e.getMessage(), e);
        }
    }
}
