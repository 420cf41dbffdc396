package dev.ladle.junit;

import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A certificate authority and two certificates it issued, for TLS tests (what OkHttp's
 * {@code HeldCertificate} and {@code HandshakeCertificates} give): a server certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and a client certificate, each with its private
 * key. Made in pure JDK (EC P-256 keys, ECDSA-SHA256 signatures, X.509 v3) with no {@code keytool}
 * process and nothing on disk: about 20 ms of CPU a set, plus a few hundred once per JVM for loading the
 * JDK's crypto classes. Immutable and thread-safe.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create();
 * try (MockServer server = MockServer.builder()
 *         .https(certs.serverCertificate())
 *         .requireClientCertificate(certs.trustDatabase())
 *         .start()) {
 *     HttpClient client = HttpClient.newBuilder().sslContext(certs.clientSslContext()).build();
 *     // the client trusts the CA and presents the client certificate
 *     X509Certificate presented = server.takeRequest().clientCertificates().get(0);
 * }
 * }</pre>
 *
 * <p>The certificates are valid from an hour ago (clocks of other processes may lag a little) for 30
 * days. The CA may sign leaf certificates only (path length 0). The server certificate has the
 * {@code serverAuth} extended key usage and its hosts as subject alternative names (its common name is
 * the first host); the client certificate has {@code clientAuth} and the common name
 * {@code ladle-junit client}. Each {@code create} makes a new CA, so certificates from two sets do not
 * trust each other: handy for "a certificate from the wrong CA" tests.
 */
public final class TestCertificates {
    private static final List<String> DEFAULT_HOSTS = List.of("localhost", "127.0.0.1", "::1");
    private static final Duration VALIDITY = Duration.ofDays(30);
    /** Protects keys inside in-memory key stores only; never written anywhere. */
    private static final char[] STORE_PASSWORD = "ladle-junit".toCharArray();

    private final X509Certificate ca;
    private final TlsCertificate server;
    private final TlsCertificate client;

    private TestCertificates(X509Certificate ca, TlsCertificate server, TlsCertificate client) {
        this.ca = ca;
        this.server = server;
        this.client = client;
    }

    /** Makes a new CA, a server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and a client certificate. */
    public static TestCertificates create() {
        return create(DEFAULT_HOSTS.toArray(String[]::new));
    }

    /**
     * Makes a new CA, a server certificate for {@code serverHosts} (DNS names, wildcards such as
     * {@code *.example.test}, IPv4 or IPv6 literals; the first is also the common name), and a client
     * certificate.
     *
     * @throws IllegalArgumentException when no host is given or one is neither a DNS name nor an IP literal
     */
    public static TestCertificates create(String... serverHosts) {
        List<String> hosts = List.of(serverHosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host");
        }
        hosts.forEach(CertificateMaker::ipLiteral); // checks each host before any key is made
        Instant notBefore = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(VALIDITY);

        KeyPair caKeys = CertificateMaker.newKeyPair();
        byte[] caName = CertificateMaker.name("ladle-junit test CA");
        CertificateMaker.Issuer issuer = new CertificateMaker.Issuer(caName, caKeys);
        X509Certificate ca = CertificateMaker.issue(CertificateMaker.Role.CA, caName, caKeys.getPublic(), List.of(),
                issuer, notBefore, notAfter);

        KeyPair serverKeys = CertificateMaker.newKeyPair();
        X509Certificate serverLeaf = CertificateMaker.issue(CertificateMaker.Role.SERVER, CertificateMaker.name(hosts.get(0)),
                serverKeys.getPublic(), hosts, issuer, notBefore, notAfter);

        KeyPair clientKeys = CertificateMaker.newKeyPair();
        X509Certificate clientLeaf = CertificateMaker.issue(CertificateMaker.Role.CLIENT, CertificateMaker.name("ladle-junit client"),
                clientKeys.getPublic(), List.of(), issuer, notBefore, notAfter);

        return new TestCertificates(ca, withKey(serverLeaf, serverKeys.getPrivate()), withKey(clientLeaf, clientKeys.getPrivate()));
    }

    /**
     * One set made on first use and kept for the life of the JVM (what {@link MockServer.Builder#https()}
     * serves), for tests that need a trusted server but no CA of their own.
     */
    public static TestCertificates shared() {
        return Shared.CERTIFICATES;
    }

    /** The CA's certificate (self-signed): what clients and the server trust. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** The server's certificate and private key, for {@link MockServer.Builder#https(TlsCertificate)}; the chain is the leaf alone. */
    public TlsCertificate serverCertificate() {
        return server;
    }

    /** The client's certificate and private key; the chain is the leaf alone. */
    public TlsCertificate clientCertificate() {
        return client;
    }

    /**
     * A trust database of the CA alone, for the server side of client-certificate tests:
     * {@link MockServer.Builder#requireClientCertificate(TlsDatabase)}.
     */
    public TlsDatabase trustDatabase() {
        return TlsDatabase.fromKeyStore(trustStore());
    }

    /**
     * A trust manager that trusts the CA alone, for clients that take one next to their socket factory
     * (OkHttp: {@code sslSocketFactory(certs.clientSslContext().getSocketFactory(), certs.trustManager())}).
     */
    public X509TrustManager trustManager() {
        return ClientTls.trustManager(trustStore());
    }

    /** A key manager that presents the client certificate when a server asks for one issued by the CA. */
    public X509KeyManager clientKeyManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", client.getPrivateKey(), STORE_PASSWORD,
                    client.getCertificateChain().toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, STORE_PASSWORD);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX KeyManagerFactory made no X509KeyManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a key manager: " + e.getMessage(), e);
        }
    }

    /**
     * An {@link SSLContext} for the client under test: it trusts the CA and presents the client
     * certificate ({@code HttpClient.newBuilder().sslContext(certs.clientSslContext())}).
     */
    public SSLContext clientSslContext() {
        return sslContext(new KeyManager[] {clientKeyManager()});
    }

    /** An {@link SSLContext} that trusts the CA and presents no certificate: a client without one. */
    public SSLContext trustingSslContext() {
        return sslContext(null);
    }

    /** The CA's certificate in PEM ({@code BEGIN CERTIFICATE}), e.g. for {@code curl --cacert}. */
    public String caCertificatePem() {
        return pem(ca);
    }

    /**
     * Writes the set as PEM files into {@code directory}, for tools such as curl and openssl:
     * {@code ca.pem}, {@code server.pem}, {@code server-key.pem}, {@code client.pem} and
     * {@code client-key.pem} (keys in PKCS#8, unencrypted), replacing files of those names.
     *
     * @throws IOException when a file cannot be written
     */
    public void writePemFiles(Path directory) throws IOException {
        Files.writeString(directory.resolve("ca.pem"), pem(ca), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve("server.pem"), chainPem(server), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve("server-key.pem"), pem(server.getPrivateKey()), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve("client.pem"), chainPem(client), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve("client-key.pem"), pem(client.getPrivateKey()), StandardCharsets.US_ASCII);
    }

    /** {@code certificate} in PEM: a {@code BEGIN CERTIFICATE} block, base64 in lines of 64. */
    public static String pem(X509Certificate certificate) {
        try {
            return pemBlock("CERTIFICATE", Objects.requireNonNull(certificate, "certificate").getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }

    /** {@code key} in unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), which {@link TlsCertificate#fromPem} reads. */
    public static String pem(PrivateKey key) {
        return pemBlock("PRIVATE KEY", Objects.requireNonNull(key, "key").getEncoded());
    }

    /** The chain then the key of {@code certificate}, in one PEM text that {@link TlsCertificate#fromPem} reads back. */
    public static String pem(TlsCertificate certificate) {
        return chainPem(certificate) + pem(certificate.getPrivateKey());
    }

    /** For messages: the CA's name and the two certificates. */
    @Override
    public String toString() {
        return "TestCertificates[CA " + ca.getSubjectX500Principal().getName() + ", server " + server + ", client " + client + "]";
    }

    private static String chainPem(TlsCertificate certificate) {
        StringBuilder b = new StringBuilder();
        certificate.getCertificateChain().forEach(c -> b.append(pem(c)));
        return b.toString();
    }

    private static String pemBlock(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    private KeyStore trustStore() {
        return ClientTls.trustStore(List.of(ca));
    }

    private SSLContext sslContext(KeyManager[] keyManagers) {
        return ClientTls.sslContext(keyManagers, trustManager());
    }

    private static TlsCertificate withKey(X509Certificate leaf, PrivateKey key) {
        return TlsCertificate.fromPem(pem(leaf) + pem(key));
    }

    /** Makes the shared set on first use only (the holder idiom: lazy and thread-safe without locks). */
    private static final class Shared {
        static final TestCertificates CERTIFICATES = create();
    }
}
