package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.tls.TlsProfile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --tls-profile, --tls-protocols, --tls-ciphers and --hsts, with openssl s_client and curl. */
class TlsPolicyIT {
    @TempDir
    static Path dir;
    static Certificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certificates.create(Files.createDirectories(dir.resolve("certs")));
        Files.writeString(dir.resolve("hello.txt"), "hello");
        Files.createDirectories(dir.resolve("docs"));
    }

    private static List<String> withCertificate(String... extra) {
        List<String> args = new ArrayList<>(List.of("--root", dir.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--https-port", "0", "--tls-cert", certs.serverCert.toString(),
                "--tls-key", certs.serverKey.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static HttpdProcess serve(String... extra) throws Exception {
        return HttpdProcess.serve(dir, 2, withCertificate(extra).toArray(String[]::new));
    }

    /** The exit code and merged output of an {@code openssl s_client} handshake (no request). */
    private record Handshake(int exitCode, String output) {
        void assertNegotiated(String protocol, String cipher) {
            assertThat(exitCode).as(output).isZero();
            assertThat(output).contains("New, " + protocol + ", Cipher is " + cipher);
        }

        void assertRefused() {
            assertThat(exitCode).as(output).isNotZero();
            assertThat(output).contains("Cipher is (NONE)");
        }
    }

    private static Handshake handshake(URI https, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + https.getPort(),
                "-servername", "localhost", "-CAfile", certs.caCert.toString(), "-verify_return_error"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("s_client did not finish: " + command);
        }
        return new Handshake(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The response head curl saw for {@code uri} (HTTP/2 over https, so field names are lower case). */
    private static String head(URI uri) throws IOException, InterruptedException {
        Clients.CurlResult result = Clients.curl("--cacert", certs.caCert.toString(), "-D", "-", "-o", "/dev/null", uri.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private static HttpdProcess.Result usageError(List<String> args) throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("ladle-httpd: ").contains("Usage: ladle-httpd").doesNotContain("\tat ");
        return result;
    }

    @Test
    void theDefaultProfileRefusesACbcSuiteAndNegotiatesAnAeadOne() throws Exception {
        try (HttpdProcess httpd = serve()) {
            URI https = httpd.awaitUris(2).get(1);

            handshake(https, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384").assertRefused();
            handshake(https, "-tls1_2").assertNegotiated("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256");
            handshake(https).assertNegotiated("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        }
    }

    @Test
    void tlsProfileModernRefusesTls12() throws Exception {
        try (HttpdProcess httpd = serve("--tls-profile", "modern")) {
            URI https = httpd.awaitUris(2).get(1);

            Handshake tls12 = handshake(https, "-tls1_2");
            assertThat(tls12.exitCode()).as(tls12.output()).isNotZero();
            assertThat(tls12.output()).contains("alert protocol version");
            handshake(https, "-tls1_3").assertNegotiated("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        }
    }

    @Test
    void tlsProtocolsAndTlsCiphersOfferExactlyWhatTheyList() throws Exception {
        try (HttpdProcess httpd = serve("--tls-protocols", "TLSv1.2", "--tls-ciphers", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")) {
            URI https = httpd.awaitUris(2).get(1);

            handshake(https).assertNegotiated("TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384");
            handshake(https, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305").assertRefused();
            assertThat(handshake(https, "-tls1_3").exitCode()).isNotZero();
        }
    }

    @Test
    void tlsCiphersAloneKeepTheProfilesVersions() throws Exception {
        try (HttpdProcess httpd = serve("--tls-profile", "modern", "--tls-ciphers", "TLS_CHACHA20_POLY1305_SHA256")) {
            URI https = httpd.awaitUris(2).get(1);

            handshake(https).assertNegotiated("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256");
            assertThat(handshake(https, "-tls1_2").exitCode()).isNotZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "--tls-ciphers=TLS_BOGUS|unknown cipher suite 'TLS_BOGUS'",
        "--tls-protocols=TLSv1.4|unknown TLS protocol 'TLSv1.4'",
        "--tls-protocols=TLSv1.3 --tls-ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256|no listed cipher suite can be used with TLSv1.3",
        "--tls-profile=old|Invalid value for option '--tls-profile'",
        "--hsts=-5|--hsts must be 0 or more seconds, got -5",
        "--hsts=soon|Invalid value for option '--hsts'",
    })
    void aBadTlsPolicyFlagExits2NamingTheProblem(String flagsAndMessage) throws Exception {
        String[] parts = flagsAndMessage.split("\\|");

        HttpdProcess.Result result = usageError(withCertificate(parts[0].split(" ")));

        assertThat(result.stderr()).contains(parts[1]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--tls-profile=modern", "--tls-protocols=TLSv1.3", "--tls-ciphers=TLS_AES_128_GCM_SHA256", "--hsts"})
    void tlsPolicyFlagsWithoutACertificateExit2(String flag) throws Exception {
        HttpdProcess.Result result = usageError(List.of("--port", "0", flag));

        // --hsts alone: "--hsts needs --tls-cert and --tls-key, or --trusted-proxy"
        assertThat(result.stderr()).containsPattern("needs? --tls-cert and --tls-key");
    }

    @Test
    void helpShowsTheDefaultProfileAndTheHstsDefault() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--help");

        String help = result.stdout().replaceAll("\\s+", " ");
        assertThat(help).contains("--tls-profile=intermediate|modern")
                .contains("(default: intermediate (" + TlsProfile.INTERMEDIATE.summary() + "))")
                .contains("modern (" + TlsProfile.MODERN.summary() + ")")
                .contains("--hsts[=SECONDS]").contains("without a value: 31536000, one year");
    }

    @Test
    void hstsWithoutAValueSendsOneYearOnEveryHttpsResponseAndNeverOnHttp() throws Exception {
        try (HttpdProcess httpd = serve("--hsts")) {
            List<URI> uris = httpd.awaitUris(2);
            URI http = uris.get(0);
            URI https = uris.get(1);

            for (String path : List.of("/hello.txt", "/missing.txt", "/", "/docs")) {
                String head = head(https.resolve(path));
                assertThat(head).as(path).containsIgnoringCase("\nstrict-transport-security: max-age=31536000\r\n");
            }
            assertThat(head(https.resolve("/missing.txt"))).startsWith("HTTP/2 404");
            assertThat(head(https.resolve("/docs"))).startsWith("HTTP/2 30");
            assertThat(head(http.resolve("/hello.txt"))).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("strict-transport-security");
            assertThat(head(http.resolve("/missing.txt"))).doesNotContainIgnoringCase("strict-transport-security");
        }
    }

    @Test
    void hstsWithSecondsSendsThemAndZeroIsAllowed() throws Exception {
        try (HttpdProcess httpd = serve("--hsts", "0")) {
            URI https = httpd.awaitUris(2).get(1);

            assertThat(head(https.resolve("/hello.txt"))).containsIgnoringCase("\nstrict-transport-security: max-age=0\r\n");
        }
        try (HttpdProcess httpd = serve("--hsts=600")) {
            URI https = httpd.awaitUris(2).get(1);

            assertThat(head(https.resolve("/"))).containsIgnoringCase("\nstrict-transport-security: max-age=600\r\n");
        }
    }

    @Test
    void withoutHstsNoResponseCarriesIt() throws Exception {
        try (HttpdProcess httpd = serve()) {
            URI https = httpd.awaitUris(2).get(1);

            assertThat(head(https.resolve("/hello.txt"))).startsWith("HTTP/2 200").doesNotContainIgnoringCase("strict-transport-security");
        }
    }
}
