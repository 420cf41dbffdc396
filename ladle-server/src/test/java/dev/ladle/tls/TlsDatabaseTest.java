package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsDatabaseTest {
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
    void pemBundleTrustsEachOfItsCertificates() throws IOException {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(pki.caCert) + "# comment\n" + Files.readString(pki.strangerCert));

        TlsDatabase database = TlsDatabase.fromPemFile(bundle);

        assertThat(database.getTrustedCertificates()).extracting(TlsDatabaseTest::subject)
                .containsExactlyInAnyOrder("CN=Ladle Test CA", "CN=Stranger");
    }

    @Test
    void trustedChainPassesTheTrustManager() throws Exception {
        TlsDatabase database = TlsDatabase.fromPemFile(pki.caCert);
        TlsCertificate client = TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey);

        database.trustManager().checkClientTrusted(client.getCertificateChain().toArray(new X509Certificate[0]), "EC");
    }

    @Test
    void pemFileWithoutCertificateIsRejected() {
        assertThatThrownBy(() -> TlsDatabase.fromPemFile(pki.caKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void keyStoreTrustsItsCertificateEntries() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load((InputStream) null, null);
        store.setCertificateEntry("ca", TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey).getCertificateChain().get(1));

        TlsDatabase database = TlsDatabase.fromKeyStore(store);

        assertThat(database.getTrustedCertificates()).extracting(TlsDatabaseTest::subject).containsExactly("CN=Ladle Test CA");
    }

    @Test
    void emptyKeyStoreIsRejected() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load((InputStream) null, null);

        assertThatThrownBy(() -> TlsDatabase.fromKeyStore(store))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void systemTrustIsTheJdksAndShared() {
        assertThat(TlsDatabase.system().getTrustedCertificates()).isNotEmpty();
        assertThat(TlsDatabase.system()).isSameAs(TlsDatabase.system());
    }
}
