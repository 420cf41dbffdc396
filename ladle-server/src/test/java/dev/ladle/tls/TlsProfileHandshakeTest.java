package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link TlsProfile}s let clients negotiate, seen by {@code openssl s_client}: with an ECDSA
 * certificate (the test CA's default) and with an RSA one, since the TLS 1.2 suites differ by key type.
 */
class TlsProfileHandshakeTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate ecdsa;
    static TlsCertificate rsa;

    Server server;
    int port;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        ecdsa = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        Path rsaKey = dir.resolve("rsa.key");
        Path rsaCert = dir.resolve("rsa.crt");
        Path rsaChain = dir.resolve("rsa-chain.crt");
        TestPki.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsaKey.toString());
        pki.issue(rsaKey, "/CN=localhost", "server", rsaCert, Duration.ofDays(-1), Duration.ofDays(30));
        Files.writeString(rsaChain, Files.readString(rsaCert) + Files.readString(pki.caCert));
        rsa = TlsCertificate.fromPemFiles(rsaChain, rsaKey);
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(ecdsa);
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Handshakes with {@code args} and no request; returns the output. */
    private TestPki.ProcessResult handshake(String... args) {
        return OpensslClient.run(port, pki.caCert, "", args);
    }

    private static void assertNegotiated(TestPki.ProcessResult result, String protocol, String cipher) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("New, " + protocol + ", Cipher is " + cipher);
    }

    private static void assertRefused(TestPki.ProcessResult result) {
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("Cipher is (NONE)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA"})
    void aCbcSuiteIsRefusedByDefault(String cipher) {
        server.setTlsCertificate(rsa);

        assertRefused(handshake("-tls1_2", "-cipher", cipher));
    }

    @Test
    void anEcdsaCbcSuiteIsRefusedByDefault() {
        assertRefused(handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384"));
    }

    @Test
    void staticRsaKeyExchangeIsRefusedByDefault() {
        server.setTlsCertificate(rsa);

        assertRefused(handshake("-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"})
    void eachIntermediateEcdsaSuiteIsAccepted(String cipher) {
        assertNegotiated(handshake("-tls1_2", "-cipher", cipher), "TLSv1.2", cipher);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
            "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"})
    void eachIntermediateRsaSuiteIsAccepted(String cipher) {
        server.setTlsCertificate(rsa);

        assertNegotiated(handshake("-tls1_2", "-cipher", cipher), "TLSv1.2", cipher);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"})
    void eachTls13SuiteIsAccepted(String suite) {
        assertNegotiated(handshake("-tls1_3", "-ciphersuites", suite), "TLSv1.3", suite);
    }

    @Test
    void theServersPreferenceWinsOverTheClients() {
        // the client prefers ChaCha20; the server's first TLS 1.2 ECDSA suite is AES-128-GCM
        assertNegotiated(handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256"),
                "TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256");
    }

    @Test
    void modernRefusesTls12AndAcceptsTls13() {
        server.setTlsProfile(TlsProfile.MODERN);

        TestPki.ProcessResult tls12 = handshake("-tls1_2");
        assertThat(tls12.exitCode()).as(tls12.output()).isNotZero();
        assertThat(tls12.output()).contains("alert protocol version");
        assertNegotiated(handshake("-tls1_3"), "TLSv1.3", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void anExplicitProfileAllowsExactlyWhatItLists() {
        server.setTlsProfile(TlsProfile.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")));

        assertNegotiated(handshake(), "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384");
        assertRefused(handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"));
        TestPki.ProcessResult tls13 = handshake("-tls1_3");
        assertThat(tls13.exitCode()).as(tls13.output()).isNotZero();
        assertThat(tls13.output()).contains("alert protocol version");
    }

    @Test
    void anExplicitProfileCanOfferACbcSuite() {
        // what the defaults refuse is a choice, not a limit: an operator may list a CBC suite
        server.setTlsCertificate(rsa);
        server.setTlsProfile(TlsProfile.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")));

        assertNegotiated(handshake("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"), "TLSv1.2", "ECDHE-RSA-AES128-SHA256");
    }

    @Test
    void aNewProfileAppliesToConnectionsAcceptedAfterwards() {
        assertNegotiated(handshake("-tls1_2"), "TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256");

        server.setTlsProfile(TlsProfile.MODERN);

        assertThat(handshake("-tls1_2").exitCode()).isNotZero();
        server.setTlsProfile(TlsProfile.INTERMEDIATE);
        assertNegotiated(handshake("-tls1_2"), "TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256");
    }

    @Test
    void aRequestIsAnsweredUnderEachNamedProfile() {
        for (TlsProfile profile : List.of(TlsProfile.INTERMEDIATE, TlsProfile.MODERN)) {
            server.setTlsProfile(profile);

            TestPki.ProcessResult result = OpensslClient.run(port, pki.caCert,
                    "GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n", "-crlf", "-ign_eof");

            assertThat(result.output()).as(profile.name()).contains("HTTP/1.1 200 OK").contains("hello");
        }
    }
}
