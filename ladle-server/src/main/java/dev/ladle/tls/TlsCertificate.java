package dev.ladle.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain with its private key: what an https listener presents (GIO's
 * {@code GTlsCertificate}). Immutable and thread-safe; give a new one to
 * {@code Server.setTlsCertificate} to rotate certificates without a restart.
 *
 * <p>The chain is leaf first; the key must belong to the leaf. Factories check this, so that a mismatch
 * is reported here rather than as failing handshakes. Content that cannot be read throws
 * {@link IllegalArgumentException} with the reason; an unreadable file throws {@link IOException}.
 * Encrypted PEM keys are not supported: decrypt them first.
 */
public final class TlsCertificate {
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    private TlsCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate found");
        }
        if (!PrivateKeys.matches(privateKey, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate ("
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /**
     * Reads a PEM certificate chain (leaf first, then intermediates) and a PEM private key: PKCS#8
     * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
     * ({@code BEGIN EC PRIVATE KEY}). Both paths may name the same file.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when there is no certificate or not exactly one readable, unencrypted
     *     private key, or the key does not belong to the first certificate
     */
    public static TlsCertificate fromPemFiles(Path certChain, Path privateKey) throws IOException {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<Pem.Block> certBlocks = parse(certChain);
        List<Pem.Block> keyBlocks = certChain.equals(privateKey) ? certBlocks : parse(privateKey);
        List<X509Certificate> chain = certificates(certBlocks, certChain.toString());
        PrivateKey key;
        try {
            key = PrivateKeys.fromBlocks(keyBlocks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(privateKey + ": " + e.getMessage(), e);
        }
        return new TlsCertificate(chain, key);
    }

    /**
     * Reads a certificate chain and its private key from one PEM text, in any order (key formats as in
     * {@link #fromPemFiles}).
     *
     * @throws IllegalArgumentException as {@link #fromPemFiles} does for content
     */
    public static TlsCertificate fromPem(String pem) {
        List<Pem.Block> blocks = Pem.parse(Objects.requireNonNull(pem, "pem"));
        return new TlsCertificate(certificates(blocks, "PEM text"), PrivateKeys.fromBlocks(blocks));
    }

    /**
     * Takes the private-key entry of a loaded key store (JKS, PKCS#12...) and its certificate chain.
     *
     * @param password the password of the key entry (for PKCS#12, the store's password); may be null
     * @throws IllegalArgumentException when the store is not loaded, holds no key entry or more than one,
     *     or the password does not unlock the key
     */
    public static TlsCertificate fromKeyStore(KeyStore store, char[] password) {
        Objects.requireNonNull(store, "store");
        try {
            String keyAlias = null;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificateChain(alias) != null) {
                    if (keyAlias != null) {
                        throw new IllegalArgumentException("the key store holds more than one private key (\"" + keyAlias
                                + "\" and \"" + alias + "\"); keep only the server's");
                    }
                    keyAlias = alias;
                }
            }
            if (keyAlias == null) {
                throw new IllegalArgumentException("the key store holds no private key with a certificate chain");
            }
            Key key = store.getKey(keyAlias, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException("key store entry \"" + keyAlias + "\" is not a private key");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : store.getCertificateChain(keyAlias)) {
                if (!(certificate instanceof X509Certificate x509)) {
                    throw new IllegalArgumentException("key store entry \"" + keyAlias + "\" holds a non-X.509 certificate");
                }
                chain.add(x509);
            }
            return new TlsCertificate(chain, privateKey);
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("the key store is not loaded", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the private key (wrong password?): " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PKCS#12 file ({@code .p12}, {@code .pfx}) holding one private key and its chain.
     *
     * @param password the file's password; null when the file has none
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not PKCS#12, the password is wrong, or as {@link #fromKeyStore}
     */
    public static TlsCertificate fromPkcs12(Path file, char[] password) throws IOException {
        byte[] content = Files.readAllBytes(file);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a readable PKCS#12 file (wrong password?): " + e.getMessage(), e);
        }
        try {
            return fromKeyStore(store, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Returns the certificate chain, leaf first (unmodifiable). */
    public List<X509Certificate> getCertificateChain() {
        return chain;
    }

    /** Returns the private key of the leaf certificate. */
    public PrivateKey getPrivateKey() {
        return privateKey;
    }

    /** Describes the leaf certificate (subject and expiry); never the key. */
    @Override
    public String toString() {
        X509Certificate leaf = chain.get(0);
        return "TlsCertificate[" + leaf.getSubjectX500Principal().getName() + ", " + privateKey.getAlgorithm()
                + ", until " + leaf.getNotAfter().toInstant() + ", chain of " + chain.size() + "]";
    }

    static List<Pem.Block> parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        try {
            return Pem.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Returns the {@code CERTIFICATE} blocks as certificates, in order. */
    static List<X509Certificate> certificates(List<Pem.Block> blocks, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + ": unreadable certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(source + ": no certificate found (expected a BEGIN CERTIFICATE block)");
        }
        return certificates;
    }
}
