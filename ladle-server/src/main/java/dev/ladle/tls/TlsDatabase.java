package dev.ladle.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities trusted to sign client certificates (GIO's {@code GTlsDatabase}).
 * Immutable and thread-safe. Verification follows PKIX (RFC 5280) through the JDK's trust manager;
 * revocation is checked only when the server is given a {@link TlsRevocation}.
 */
public final class TlsDatabase {
    private final X509ExtendedTrustManager trustManager;
    private final String description;

    private TlsDatabase(X509ExtendedTrustManager trustManager, String description) {
        this.trustManager = trustManager;
        this.description = description;
    }

    /**
     * Trusts the certificates of a PEM bundle (every {@code BEGIN CERTIFICATE} block; other blocks are
     * ignored).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no readable certificate
     */
    public static TlsDatabase fromPemFile(Path file) throws IOException {
        List<X509Certificate> certificates = TlsCertificate.certificates(TlsCertificate.parse(file), file.toString());
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return new TlsDatabase(trustManagerOf(store), file + " (" + certificates.size() + " certificates)");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build an in-memory key store", e);
        }
    }

    /**
     * Trusts the certificates of a loaded key store: its trusted-certificate entries and, as the JDK's
     * trust managers do, the leaf certificate of its key entries.
     *
     * @throws IllegalArgumentException when the store is not loaded or holds no certificate
     */
    public static TlsDatabase fromKeyStore(KeyStore store) {
        Objects.requireNonNull(store, "store");
        int count = 0;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) || store.getCertificateChain(alias) != null) {
                    count++;
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("the key store is not loaded", e);
        }
        if (count == 0) {
            throw new IllegalArgumentException("the key store holds no certificate to trust");
        }
        return new TlsDatabase(trustManagerOf(store), store.getType() + " key store (" + count + " certificates)");
    }

    /**
     * Trusts what the JDK trusts by default: its {@code cacerts} file, or the store named by the
     * {@code javax.net.ssl.trustStore} system property. Loaded once and shared.
     */
    public static TlsDatabase system() {
        return SystemHolder.SYSTEM;
    }

    /**
     * Returns the JDK trust manager that verifies chains against this database; Ladle's https listeners
     * wrap it to record verification errors.
     */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** Returns the trusted certificates. */
    public List<X509Certificate> getTrustedCertificates() {
        return List.of(trustManager.getAcceptedIssuers());
    }

    @Override
    public String toString() {
        return "TlsDatabase[" + description + "]";
    }

    private static X509ExtendedTrustManager trustManagerOf(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory gave no X509ExtendedTrustManager");
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("cannot read the key store: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PKIX trust manager", e);
        }
    }

    /** Loads the system trust on first use only. */
    private static final class SystemHolder {
        static final TlsDatabase SYSTEM = new TlsDatabase(trustManagerOf(null), "system trust");
    }
}
