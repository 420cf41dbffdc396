package dev.ladle.tls;

import static dev.ladle.tls.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCertificateTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    @Test
    void pemFilesWithPkcs8EcKeyGiveChainAndKey() throws IOException {
        TlsCertificate certificate = TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey);

        assertThat(certificate.getCertificateChain()).hasSize(1);
        assertThat(subject(certificate.getCertificateChain().get(0))).isEqualTo("CN=localhost");
        assertThat(certificate.getPrivateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void chainFileKeepsLeafFirstThenIntermediates() throws IOException {
        TlsCertificate certificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);

        assertThat(certificate.getCertificateChain()).extracting(TlsCertificateTest::subject)
                .containsExactly("CN=localhost", "CN=Ladle Test CA");
    }

    @Test
    void pkcs1RsaKeyIsRead() throws IOException {
        Path key = dir.resolve("rsa-pkcs1.key");
        Path cert = dir.resolve("rsa.crt");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=rsa", "-days", "2", "-out", cert.toString());
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsCertificate certificate = TlsCertificate.fromPemFiles(cert, key);

        assertThat(certificate.getPrivateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(certificate.getPrivateKey().getFormat()).isEqualTo("PKCS#8");
    }

    @Test
    void sec1EcKeyIsRead() throws IOException {
        Path key = dir.resolve("ec-sec1.key");
        Path cert = dir.resolve("ec-sec1.crt");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", key.toString());
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=sec1", "-days", "2", "-out", cert.toString());
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        TlsCertificate certificate = TlsCertificate.fromPemFiles(cert, key);

        assertThat(certificate.getPrivateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void sec1EcKeyAfterAnEcParametersBlockIsRead() throws IOException {
        Path key = dir.resolve("ec-params.key");
        Path cert = dir.resolve("ec-params.crt");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=params", "-days", "2", "-out", cert.toString());
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PARAMETERS-----");

        assertThat(TlsCertificate.fromPemFiles(cert, key).getPrivateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void ed25519KeyIsRead() throws IOException {
        Path key = dir.resolve("ed25519.key");
        Path cert = dir.resolve("ed25519.crt");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=ed", "-days", "2", "-out", cert.toString());

        assertThat(TlsCertificate.fromPemFiles(cert, key).getPrivateKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void certificateAndKeyInOneFileAreRead() throws IOException {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(pki.serverKey) + Files.readString(pki.serverChain));

        TlsCertificate certificate = TlsCertificate.fromPemFiles(both, both);

        assertThat(certificate.getCertificateChain()).hasSize(2);
    }

    @Test
    void pemTextWithKeyAndChainIsRead() throws IOException {
        String pem = "Bag Attributes: written by a tool\n" + Files.readString(pki.serverKey) + "some comment\n"
                + Files.readString(pki.serverChain).replace("\n", "\r\n");

        TlsCertificate certificate = TlsCertificate.fromPem(pem);

        assertThat(certificate.getCertificateChain()).extracting(TlsCertificateTest::subject)
                .containsExactly("CN=localhost", "CN=Ladle Test CA");
    }

    @Test
    void keyOfAnotherCertificateIsRejected() {
        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(pki.serverCert, pki.clientKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the first certificate");
    }

    @Test
    void rsaKeyOfAnotherRsaCertificateIsRejected() throws IOException {
        Path key1 = dir.resolve("rsa-a.key");
        Path key2 = dir.resolve("rsa-b.key");
        Path cert = dir.resolve("rsa-a.crt");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key1.toString());
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key2.toString());
        openssl("req", "-x509", "-new", "-key", key1.toString(), "-subj", "/CN=a", "-days", "2", "-out", cert.toString());

        assertThat(TlsCertificate.fromPemFiles(cert, key1).getPrivateKey().getAlgorithm()).isEqualTo("RSA");
        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(cert, key2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void encryptedPkcs8KeyIsRejectedWithAdvice() {
        Path key = dir.resolve("encrypted-pkcs8.key");
        openssl("pkcs8", "-topk8", "-in", pki.serverKey.toString(), "-out", key.toString(), "-passout", "pass:secret");

        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(pki.serverCert, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void legacyEncryptedPemKeyIsRejectedWithAdvice() {
        Path key = dir.resolve("encrypted-legacy.key");
        openssl("ec", "-in", pki.serverKey.toString(), "-out", key.toString(), "-aes256", "-passout", "pass:secret");

        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(pki.serverCert, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void fileWithoutKeyIsRejected() {
        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(pki.serverCert, pki.serverCert))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key");
    }

    @Test
    void fileWithoutCertificateIsRejected() {
        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(pki.serverKey, pki.serverKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void twoKeysAreRejected() throws IOException {
        String pem = Files.readString(pki.serverKey) + Files.readString(pki.clientKey) + Files.readString(pki.serverCert);

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one private key");
    }

    @Test
    void corruptBase64IsRejected() throws IOException {
        String pem = Files.readString(pki.serverKey) + "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void truncatedDerIsRejected() throws IOException {
        String pem = Files.readString(pki.serverCert)
                + "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable PRIVATE KEY");
    }

    @Test
    void ecKeyWithoutCurveAfterAnEmptyEcParametersBlockIsRejected() throws IOException {
        // found by fuzzing: the empty parameters block was taken for a curve and indexed past its end
        String pem = Files.readString(pki.serverCert)
                + "-----BEGIN EC PARAMETERS-----\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\nMCUCAQEEIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\n-----END EC PRIVATE KEY-----\n";

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not name its curve");
    }

    @Test
    void blockWithoutEndIsRejected() throws IOException {
        String pem = Files.readString(pki.serverKey) + "-----BEGIN CERTIFICATE-----\nAAAA\n";

        assertThatThrownBy(() -> TlsCertificate.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no END line");
    }

    @Test
    void missingFileThrowsIoException() {
        assertThatThrownBy(() -> TlsCertificate.fromPemFiles(dir.resolve("absent.crt"), pki.serverKey))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void pkcs12FileIsRead() throws IOException {
        Path p12 = dir.resolve("server.p12");
        openssl("pkcs12", "-export", "-inkey", pki.serverKey.toString(), "-in", pki.serverCert.toString(),
                "-certfile", pki.caCert.toString(), "-passout", "pass:secret", "-out", p12.toString());

        TlsCertificate certificate = TlsCertificate.fromPkcs12(p12, "secret".toCharArray());

        assertThat(certificate.getCertificateChain()).extracting(TlsCertificateTest::subject)
                .containsExactly("CN=localhost", "CN=Ladle Test CA");
    }

    @Test
    void pkcs12WithWrongPasswordIsRejected() throws IOException {
        Path p12 = dir.resolve("server-wrong.p12");
        openssl("pkcs12", "-export", "-inkey", pki.serverKey.toString(), "-in", pki.serverCert.toString(),
                "-passout", "pass:secret", "-out", p12.toString());

        assertThatThrownBy(() -> TlsCertificate.fromPkcs12(p12, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong password");
    }

    @Test
    void keyStoreWithOneKeyEntryIsRead() throws Exception {
        KeyStore store = jksWith("server", TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));

        TlsCertificate certificate = TlsCertificate.fromKeyStore(store, "pw".toCharArray());

        assertThat(certificate.getCertificateChain()).hasSize(2);
    }

    @Test
    void keyStoreWithTwoKeyEntriesIsRejected() throws Exception {
        KeyStore store = jksWith("server", TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey));
        TlsCertificate client = TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey);
        store.setKeyEntry("client", client.getPrivateKey(), "pw".toCharArray(),
                client.getCertificateChain().toArray(new X509Certificate[0]));

        assertThatThrownBy(() -> TlsCertificate.fromKeyStore(store, "pw".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one private key");
    }

    @Test
    void keyStoreWithoutKeyIsRejected() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);

        assertThatThrownBy(() -> TlsCertificate.fromKeyStore(store, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key");
    }

    @Test
    void unloadedKeyStoreIsRejected() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");

        assertThatThrownBy(() -> TlsCertificate.fromKeyStore(store, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not loaded");
    }

    @Test
    void keyStoreWithWrongKeyPasswordIsRejected() throws Exception {
        KeyStore store = jksWith("server", TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey));

        assertThatThrownBy(() -> TlsCertificate.fromKeyStore(store, "nope".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong password");
    }

    @Test
    void toStringNamesTheSubjectButNotTheKey() throws IOException {
        TlsCertificate certificate = TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey);

        assertThat(certificate.toString()).contains("CN=localhost").doesNotContain("PRIVATE");
    }

    static KeyStore jksWith(String alias, TlsCertificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("JKS");
        store.load((InputStream) null, null);
        store.setKeyEntry(alias, certificate.getPrivateKey(), "pw".toCharArray(),
                certificate.getCertificateChain().toArray(new X509Certificate[0]));
        return store;
    }
}
