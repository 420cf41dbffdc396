package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https listeners with the clients people use from a shell: curl and {@code openssl s_client}. */
class CommandLineClientsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    Server server;
    int port;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", (HttpsServerTest.describe(msg) + "\n").getBytes(StandardCharsets.UTF_8));
        });
        port = pki.listenHttpsOnLoopback(server).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestPki.ProcessResult curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", pki.caCert.toString(),
                "-w", "\nversion=%{http_version}\n"));
        command.addAll(List.of(args));
        command.add("https://127.0.0.1:" + port + "/");
        return TestPki.exec(command, null, Duration.ofSeconds(30));
    }

    private TestPki.ProcessResult sClient(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", pki.caCert.toString(), "-verify_return_error"));
        command.addAll(List.of(args));
        return TestPki.exec(command, stdin, Duration.ofSeconds(30));
    }

    @Test
    void curlVerifiesTheServerAndNegotiatesHttp2() {
        TestPki.ProcessResult result = curl();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("secure=true uri=https peer=none errors=[]").contains("version=2");
    }

    @Test
    void curlAskingForHttp11IsAnsweredWithHttp11() {
        TestPki.ProcessResult result = curl("--http1.1");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("secure=true uri=https peer=none errors=[]").contains("version=1.1");
    }

    @Test
    void curlOfferingHttp2ToAServerWithHttp2DisabledIsAnsweredWithHttp11() {
        server.setHttp2Enabled(false);

        TestPki.ProcessResult result = curl("--http2");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("version=1.1");
    }

    @Test
    void curlClientCertificateIsSeenUnderRequired() {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);

        TestPki.ProcessResult result = curl("--cert", pki.clientCert.toString(), "--key", pki.clientKey.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("peer=CN=Alice errors=[]");
    }

    @Test
    void curlWithoutClientCertificateIsRefusedUnderRequired() {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);

        TestPki.ProcessResult result = curl();

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).doesNotContain("secure=true");
    }

    @Test
    void curlWithoutClientCertificateIsServedUnderRequested() {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);

        TestPki.ProcessResult result = curl();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("peer=none");
    }

    @Test
    void curlWithAnExpiredClientCertificateIsRefusedUnderRequired() {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);

        TestPki.ProcessResult result = curl("--cert", pki.expiredClientCert.toString(), "--key", pki.clientKey.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @Test
    void sClientOfferingH2AndHttp11NegotiatesH2() {
        TestPki.ProcessResult result = sClient("", "-alpn", "h2,http/1.1");

        assertThat(result.output()).contains("ALPN protocol: h2").contains("Verify return code: 0 (ok)");
    }

    @Test
    void sClientNegotiatesTls13AndAlpnHttp11WithAVerifiedChain() {
        TestPki.ProcessResult result = sClient("GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n",
                "-alpn", "http/1.1", "-crlf", "-ign_eof");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("ALPN protocol: http/1.1")
                .contains("TLSv1.3")
                .contains("Verify return code: 0 (ok)")
                .contains("HTTP/1.1 200 OK")
                .contains("secure=true");
    }

    @Test
    void sClientWithTls12IsServed() {
        TestPki.ProcessResult result = sClient("GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n",
                "-tls1_2", "-crlf", "-ign_eof");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Protocol  : TLSv1.2").contains("secure=true");
    }

    @Test
    void sClientWithTls11IsRefused() {
        TestPki.ProcessResult result = sClient("", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("alert protocol version").contains("no peer certificate available");
    }

    @Test
    void sClientOfferingOnlySha1CbcSuitesIsRefused() {
        TestPki.ProcessResult result = sClient("", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("handshake failure");
    }

    @Test
    void sClientOfferingOnlyAnUnknownProtocolIsRefusedByAlpn() {
        TestPki.ProcessResult result = sClient("", "-alpn", "spdy/3");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("no application protocol");
    }

    @Test
    void sClientPresentsAClientCertificateUnderRequested() {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);

        TestPki.ProcessResult result = sClient("GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n",
                "-cert", pki.clientCert.toString(), "-key", pki.clientKey.toString(), "-crlf", "-ign_eof");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Acceptable client certificate CA names").contains("CN = Ladle Test CA")
                .contains("peer=CN=Alice errors=[]");
    }
}
