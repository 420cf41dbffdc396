package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 is not negotiated over a TLS 1.2 cipher suite RFC 9113 prohibits (section 9.2.2): a profile that
 * enables one gives its clients HTTP/1.1 through ALPN, seen by {@code openssl s_client -alpn}.
 */
class Http2CipherPolicyTest {
    private static final String CBC = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
    private static final String GCM = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    @TempDir
    static Path dir;
    static TestPki pki;
    Server server;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(TlsProfile profile) throws IOException {
        server = new Server();
        server.setTlsCertificate(pki.serverCertificate());
        server.setTlsProfile(profile);
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        return server.getUris().get(0).getPort();
    }

    private static String alpn(int port, String cipher) {
        TestPki.ProcessResult result = OpensslClient.run(port, pki.caCert, "", "-tls1_2", "-cipher", cipher,
                "-alpn", "h2,http/1.1");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    @Test
    void cbcSuiteOverTls12GetsHttp1InsteadOfH2() throws IOException {
        int port = start(TlsProfile.of(List.of("TLSv1.2"), List.of(CBC, GCM)));
        assertThat(alpn(port, "ECDHE-ECDSA-AES128-SHA256")).contains("Cipher is ECDHE-ECDSA-AES128-SHA256")
                .contains("ALPN protocol: http/1.1");
    }

    @Test
    void aeadSuiteOverTls12GetsH2() throws IOException {
        int port = start(TlsProfile.of(List.of("TLSv1.2"), List.of(CBC, GCM)));
        assertThat(alpn(port, "ECDHE-ECDSA-AES128-GCM-SHA256")).contains("ALPN protocol: h2");
    }

    @Test
    void clientOfferingOnlyH2OverAProhibitedSuiteIsRefused() throws IOException {
        int port = start(TlsProfile.of(List.of("TLSv1.2"), List.of(CBC)));
        TestPki.ProcessResult result = OpensslClient.run(port, pki.caCert, "", "-tls1_2", "-alpn", "h2");
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("no application protocol");
    }
}
