package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several certificates on one https listener, chosen by the server name a client sends (SNI) and by the
 * signature algorithms it accepts, seen by real clients: the JDK's {@link SSLSocket} and
 * {@code openssl s_client}. Each certificate has its own common name, which is what the tests compare.
 */
class ServerNameIndicationTest {
    /** RSA signature schemes alone (PKCS#1 too: the CA signs with it, and the schemes bound the chain as well). */
    private static final String[] RSA_ONLY = {"rsa_pss_rsae_sha256", "rsa_pkcs1_sha256"};
    private static final Pattern SUBJECT = Pattern.compile("(?m)^subject=CN ?= ?(.+)$");
    @TempDir
    static Path dir;
    static SniPki certs;

    Server server;
    int port;

    @BeforeAll
    static void createCertificates() throws Exception {
        certs = SniPki.create(dir.resolve("pki"));
    }

    /** The default is {@code CN=localhost}; a.example.com has an ECDSA and an RSA certificate, b one, *.wild.example one. */
    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(certs.fallback);
        server.addTlsCertificate(certs.aEc.load());
        server.addTlsCertificate(certs.aRsa.load());
        server.addTlsCertificate(certs.b.load());
        server.addTlsCertificate(certs.wild.load());
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Handshakes as a JDK client sending {@code serverName} (nothing for null), offering only
     * {@code signatureSchemes} when some are given, and returns the subject of the server's certificate.
     */
    private String jdkSees(String serverName, String... signatureSchemes) throws Exception {
        // a new context each time: the JDK client would resume its last TLS 1.3 session whatever name it sends
        SSLContext client = TlsClients.context(certs.pki.caCert, null);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            if (signatureSchemes.length > 0) {
                params.setSignatureSchemes(signatureSchemes);
            }
            socket.setSSLParameters(params);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** Runs {@code openssl s_client} with {@code args}, verifying the chain, and returns its output. */
    private TestPki.ProcessResult sClient(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", certs.pki.caCert.toString(), "-verify_return_error"));
        command.addAll(List.of(args));
        return TestPki.exec(command, "", Duration.ofSeconds(30));
    }

    /** Returns the subject of the certificate {@code openssl s_client} was given. */
    private String opensslSees(String... args) {
        TestPki.ProcessResult result = sClient(args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        Matcher subject = SUBJECT.matcher(result.output());
        assertThat(subject.find()).as(result.output()).isTrue();
        return "CN=" + subject.group(1).strip();
    }

    @Test
    void anExactNameGetsItsCertificate() throws Exception {
        assertThat(jdkSees("b.example.com")).isEqualTo("CN=b");
        assertThat(opensslSees("-servername", "b.example.com")).isEqualTo("CN=b");
    }

    @Test
    void aWildcardCoversOneMoreLabel() throws Exception {
        assertThat(jdkSees("www.wild.example")).isEqualTo("CN=wild");
        assertThat(opensslSees("-servername", "api.wild.example")).isEqualTo("CN=wild");
    }

    @Test
    void aWildcardCoversNeitherTwoMoreLabelsNorTheBareDomain() throws Exception {
        assertThat(jdkSees("a.b.wild.example")).isEqualTo("CN=localhost");
        assertThat(jdkSees("wild.example")).isEqualTo("CN=localhost");
        assertThat(opensslSees("-servername", "x.y.wild.example")).isEqualTo("CN=localhost");
    }

    @Test
    void anExactNameWinsOverTheWildcardCoveringIt() throws Exception {
        server.addTlsCertificate("www.wild.example", certs.b.load());

        assertThat(jdkSees("www.wild.example")).isEqualTo("CN=b");
        assertThat(jdkSees("api.wild.example")).isEqualTo("CN=wild");
    }

    @Test
    void aClientSendingNoNameGetsTheDefault() throws Exception {
        assertThat(jdkSees(null)).isEqualTo("CN=localhost");
        assertThat(opensslSees("-noservername")).isEqualTo("CN=localhost");
    }

    @Test
    void aNameNothingMatchesGetsTheDefault() throws Exception {
        assertThat(jdkSees("unknown.example.com")).isEqualTo("CN=localhost");
        assertThat(opensslSees("-servername", "example.com")).isEqualTo("CN=localhost");
    }

    @Test
    void namesAreComparedCaseInsensitively() throws Exception {
        assertThat(jdkSees("B.Example.COM")).isEqualTo("CN=b");
        assertThat(opensslSees("-servername", "WWW.WILD.EXAMPLE")).isEqualTo("CN=wild");
    }

    @Test
    void anInternationalizedNameMatchesInItsAsciiForm() throws Exception {
        server.addTlsCertificate("Bücher.example", certs.b.load());

        // the JDK client sends the name as the A-label xn--bcher-kva.example, as every client must
        assertThat(jdkSees("bücher.example")).isEqualTo("CN=b");
        assertThat(opensslSees("-servername", "xn--bcher-kva.example")).isEqualTo("CN=b");
    }

    @Test
    void aClientOfferingOnlyRsaSignaturesGetsTheRsaCertificate() throws Exception {
        assertThat(jdkSees("a.example.com", RSA_ONLY)).isEqualTo("CN=a-rsa");
        assertThat(opensslSees("-servername", "a.example.com", "-sigalgs", "rsa_pss_rsae_sha256:rsa_pkcs1_sha256"))
                .isEqualTo("CN=a-rsa");
    }

    @Test
    void anEcdsaPreferringClientGetsTheEcdsaCertificate() throws Exception {
        // both clients list ECDSA signature schemes before RSA ones by default
        assertThat(jdkSees("a.example.com")).isEqualTo("CN=a-ec");
        assertThat(opensslSees("-servername", "a.example.com")).isEqualTo("CN=a-ec");
        assertThat(opensslSees("-servername", "a.example.com", "-sigalgs", "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"))
                .isEqualTo("CN=a-ec");
    }

    @Test
    void theClientsOrderOfSignatureAlgorithmsDecides() throws Exception {
        assertThat(opensslSees("-servername", "a.example.com", "-sigalgs", "rsa_pss_rsae_sha256:ecdsa_secp256r1_sha256"))
                .isEqualTo("CN=a-rsa");
        assertThat(jdkSees("a.example.com", "rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256", "rsa_pkcs1_sha256")).isEqualTo("CN=a-rsa");
    }

    @Test
    void inTls12TheCipherSuiteChoosesTheCertificateType() throws Exception {
        assertThat(opensslSees("-tls1_2", "-servername", "a.example.com", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"))
                .isEqualTo("CN=a-rsa");
        assertThat(opensslSees("-tls1_2", "-servername", "a.example.com", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
                .isEqualTo("CN=a-ec");
    }

    @Test
    void aMatchingNameWithoutACertificateTheClientCanUseFailsRatherThanServeAnotherName() throws Exception {
        server.setTlsCertificate(certs.aRsa.load());

        assertThat(jdkSees(null, RSA_ONLY)).isEqualTo("CN=a-rsa");
        assertThatThrownBy(() -> jdkSees("b.example.com", RSA_ONLY)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void withoutADefaultTheNameAddedFirstAnswersClientsThatMatchNothing() throws Exception {
        server.setTlsCertificate(null);

        assertThat(jdkSees(null)).isEqualTo("CN=a-ec");
        assertThat(jdkSees("unknown.example.com", RSA_ONLY)).isEqualTo("CN=a-rsa");
        assertThat(jdkSees("b.example.com")).isEqualTo("CN=b");
    }

    @Test
    void rotatingOneNamesCertificateLeavesTheOthersUntouched() throws Exception {
        assertThat(jdkSees("b.example.com")).isEqualTo("CN=b");

        server.addTlsCertificate(certs.bNext.load());

        assertThat(jdkSees("b.example.com")).isEqualTo("CN=b-next");
        assertThat(jdkSees("a.example.com")).isEqualTo("CN=a-ec");
        assertThat(jdkSees("a.example.com", RSA_ONLY)).isEqualTo("CN=a-rsa");
        assertThat(jdkSees("x.wild.example")).isEqualTo("CN=wild");
        assertThat(jdkSees(null)).isEqualTo("CN=localhost");
        assertThat(server.getTlsCertificates().get("b.example.com")).extracting(TlsCertificate::toString)
                .singleElement().asString().contains("CN=b-next");
    }

    @Test
    void removingANameSendsItsClientsToTheDefault() throws Exception {
        assertThat(server.removeTlsCertificates("B.example.com")).isTrue();

        assertThat(jdkSees("b.example.com")).isEqualTo("CN=localhost");
        assertThat(jdkSees("a.example.com")).isEqualTo("CN=a-ec");
        assertThat(server.removeTlsCertificates("b.example.com")).isFalse();
    }

    /**
     * RFC 6066 section 3. Session IDs: the JDK cannot resume a TLS 1.2 ticket for a certificate chosen by
     * name at all (it restores the ticket's certificate before it has read the name).
     */
    @Test
    void aTls12SessionBegunUnderOneNameIsNotResumedUnderAnother() throws Exception {
        Path session = Files.createTempFile(dir, "session", ".pem");
        String first = sClient("-tls1_2", "-no_ticket", "-servername", "a.example.com", "-sess_out", session.toString()).output();
        assertThat(first).contains("New, TLSv1.2");

        String sameName = sClient("-tls1_2", "-no_ticket", "-servername", "a.example.com", "-sess_in", session.toString()).output();
        String otherName = sClient("-tls1_2", "-no_ticket", "-servername", "b.example.com", "-sess_in", session.toString()).output();

        assertThat(sameName).as("the same name resumes").contains("Reused, TLSv1.2");
        assertThat(otherName).contains("New, TLSv1.2").doesNotContain("Reused");
    }
}
