package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TestCertificates: what the certificates say, that the JDK and OpenSSL both verify them, and their PEM forms. */
class TestCertificatesTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private final TestCertificates certs = TestCertificates.create();

    private static X509Certificate leaf(TlsCertificate certificate) {
        return certificate.getCertificateChain().get(0);
    }

    /** Validates {@code leaf} against {@code ca} with the JDK's PKIX validator (RFC 5280 path validation). */
    private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    @Test
    void serverAndClientCertificatesValidateAgainstTheCa() throws Exception {
        validate(leaf(certs.serverCertificate()), certs.caCertificate());
        validate(leaf(certs.clientCertificate()), certs.caCertificate());
    }

    @Test
    void aCertificateFromAnotherSetDoesNotValidate() {
        TestCertificates other = TestCertificates.create();
        assertThat(other.caCertificate()).isNotEqualTo(certs.caCertificate());
        assertThatThrownBy(() -> validate(leaf(other.clientCertificate()), certs.caCertificate()))
                .isInstanceOf(CertPathValidatorException.class);
        assertThatThrownBy(() -> certs.trustManager().checkClientTrusted(
                new X509Certificate[] {leaf(other.clientCertificate())}, "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void theCaIsACaThatSignsLeavesOnly() {
        X509Certificate ca = certs.caCertificate();
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getKeyUsage()[0]).as("digitalSignature").isFalse();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        assertThat(ca.getVersion()).isEqualTo(3);
    }

    @Test
    void theServerCertificateNamesLocalhostAndBothLoopbackAddresses() throws Exception {
        X509Certificate server = leaf(certs.serverCertificate());
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=ladle-junit");
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getIssuerX500Principal()).isEqualTo(certs.caCertificate().getSubjectX500Principal());
    }

    @Test
    void theClientCertificateIsForClientAuthentication() throws Exception {
        X509Certificate client = leaf(certs.clientCertificate());
        assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=ladle-junit client,O=ladle-junit");
        assertThat(client.getSubjectAlternativeNames()).isNull();
        assertThat(certs.clientCertificate().getPrivateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void certificatesAreValidFromAnHourAgoForThirtyDays() {
        X509Certificate server = leaf(certs.serverCertificate());
        Instant now = Instant.now();
        assertThat(server.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofMinutes(61)), now.minus(Duration.ofMinutes(59)));
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void serverHostsCanBeChosen() throws Exception {
        TestCertificates custom = TestCertificates.create("api.example.test", "*.svc.test", "10.1.2.3", "[2001:db8::1]");
        X509Certificate server = leaf(custom.serverCertificate());
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.test"), List.of(2, "*.svc.test"),
                List.of(7, "10.1.2.3"), List.of(7, "2001:db8:0:0:0:0:0:1"));
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.test,O=ladle-junit");
    }

    @Test
    void hostsThatAreNeitherNamesNorAddressesAreRefused() {
        assertThatThrownBy(() -> TestCertificates.create("has space")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"has space\"");
        assertThatThrownBy(() -> TestCertificates.create("300.1.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestCertificates.create("::g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestCertificates.create(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSharedSetIsMadeOncePerJvm() {
        assertThat(TestCertificates.shared()).isSameAs(TestCertificates.shared());
    }

    @Test
    void pemTextReadsBackIntoTheSameCertificateAndKey() {
        TlsCertificate back = TlsCertificate.fromPem(TestCertificates.pem(certs.serverCertificate()));
        assertThat(back.getCertificateChain()).isEqualTo(certs.serverCertificate().getCertificateChain());
        assertThat(back.getPrivateKey()).isEqualTo(certs.serverCertificate().getPrivateKey());
        assertThat(certs.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(certs.caCertificatePem().lines()).allMatch(line -> line.length() <= 64);
    }

    @Test
    void pemFilesAreReadByLadle(@TempDir Path dir) throws Exception {
        certs.writePemFiles(dir);
        TlsCertificate client = TlsCertificate.fromPemFiles(dir.resolve("client.pem"), dir.resolve("client-key.pem"));
        assertThat(client.getCertificateChain()).isEqualTo(certs.clientCertificate().getCertificateChain());
        assertThat(TlsDatabase.fromPemFile(dir.resolve("ca.pem")).getTrustedCertificates()).containsExactly(certs.caCertificate());
    }

    @Test
    void openSslVerifiesTheServerAndClientCertificatesForTheirPurposes(@TempDir Path dir) throws Exception {
        certs.writePemFiles(dir);
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "server.pem")).contains("server.pem: OK");
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "client.pem")).contains("client.pem: OK");
        // each is refused for the other's purpose: the extended key usages are what they should be
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "server.pem")).doesNotContain("server.pem: OK");
        assertThat(openssl(dir, "x509", "-in", "server.pem", "-noout", "-ext", "subjectAltName"))
                .contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    }

    private static String openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.toString(StandardCharsets.UTF_8);
    }
}
