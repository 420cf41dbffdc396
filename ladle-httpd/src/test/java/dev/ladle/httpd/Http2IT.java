package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2: h2 through ALPN on the https listener and h2c by prior knowledge on the plain one, both on by
 * default, for files, ranges, uploads, auth and echo; {@code --no-http2} turns both off.
 */
class Http2IT {
    /** curl's {@code -w} suffix: the protocol version on a line of its own after the body. */
    private static final String VERSION = "\n%{http_version}";

    @TempDir
    static Path dir;
    static Certificates certs;
    static HttpdProcess httpd;
    static URI plain;
    static URI https;

    @BeforeAll
    static void startServer() throws Exception {
        certs = Certificates.create(Files.createDirectories(dir.resolve("certs")));
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.writeString(root.resolve("digits.txt"), "0123456789");
        Files.createDirectories(root.resolve("private"));
        Files.writeString(root.resolve("private/secret.txt"), "secret");
        Files.createDirectories(root.resolve("uploads"));
        httpd = HttpdProcess.serve(dir, 2, tlsArgs(root, "--allow-put", "--echo", "/echo", "--access-log",
                "--auth", "basic", "--user", "alice:secret", "--auth-path", "/private"));
        plain = httpd.awaitUris(2).get(0);
        https = httpd.awaitUris(2).get(1);
    }

    @AfterAll
    static void stopServer() throws Exception {
        httpd.close();
    }

    private static String[] tlsArgs(Path root, String... extra) {
        List<String> args = new ArrayList<>(List.of("--root", root.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--https-port", "0", "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** curl over h2c: the HTTP/2 preface straight away on the plain port. */
    private static Clients.CurlResult h2c(String... args) throws Exception {
        return curlWith(List.of("--http2-prior-knowledge", "-w", VERSION), args);
    }

    /** curl over TLS, offering h2 and http/1.1 through ALPN, trusting the test CA. */
    private static Clients.CurlResult h2(String... args) throws Exception {
        return curlWith(List.of("--http2", "--cacert", certs.caCert.toString(), "-w", VERSION), args);
    }

    private static Clients.CurlResult curlWith(List<String> first, String... args) throws Exception {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(args));
        return Clients.curl(all.toArray(String[]::new));
    }

    /** The body curl printed, without the version line. */
    private static String body(Clients.CurlResult result) {
        return result.stdout().substring(0, result.stdout().lastIndexOf('\n'));
    }

    /** The version curl reports ({@code 2}, {@code 1.1}), the last line of its output. */
    private static String version(Clients.CurlResult result) {
        return result.stdout().substring(result.stdout().lastIndexOf('\n') + 1);
    }

    @Test
    void aFileIsServedOverH2cByPriorKnowledge() throws Exception {
        Clients.CurlResult result = h2c(plain.resolve("/hello.txt").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(body(result)).isEqualTo("hello\n");
        assertThat(version(result)).isEqualTo("2");
    }

    @Test
    void aRangeIsServedOverH2c() throws Exception {
        Clients.CurlResult result = h2c("-i", "-r", "2-4", plain.resolve("/digits.txt").toString());
        assertThat(result.stdout()).as(result.stderr()).startsWith("HTTP/2 206")
                .containsIgnoringCase("content-range: bytes 2-4/10");
        assertThat(body(result)).endsWith("\r\n\r\n234");
        assertThat(version(result)).isEqualTo("2");
    }

    @Test
    void httpsNegotiatesH2ThroughAlpn() throws Exception {
        Clients.CurlResult result = h2(https.resolve("/hello.txt").toString());
        assertThat(body(result)).as(result.stderr()).isEqualTo("hello\n");
        assertThat(version(result)).isEqualTo("2");
    }

    @Test
    void theJdkClientGetsHttp2OverHttps() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(certs.trustingClientContext()).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(https.resolve("/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("hello\n");
        }
    }

    @Test
    void aPutOverH2cStoresTheFile() throws Exception {
        Path upload = dir.resolve("upload.bin");
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(upload, data);
        Clients.CurlResult result = Clients.curl("--http2-prior-knowledge", "-o", "/dev/null", "-w",
                "%{http_code} %{http_version}", "-T", upload.toString(), plain.resolve("/uploads/h2c.bin").toString());
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("201 2");
        assertThat(dir.resolve("root/uploads/h2c.bin")).hasBinaryContent(data);
    }

    @Test
    void basicAuthWorksOverH2() throws Exception {
        String url = https.resolve("/private/secret.txt").toString();
        Clients.CurlResult challenge = h2("-i", url);
        assertThat(challenge.stdout()).as(challenge.stderr()).startsWith("HTTP/2 401")
                .containsIgnoringCase("www-authenticate: Basic realm=\"ladle-httpd\"");
        Clients.CurlResult wrong = h2("-i", "-u", "alice:wrong", url);
        assertThat(wrong.stdout()).startsWith("HTTP/2 401");
        Clients.CurlResult right = h2("-u", "alice:secret", url);
        assertThat(body(right)).isEqualTo("secret");
        assertThat(version(right)).isEqualTo("2");
    }

    @Test
    void echoAnswersOverH2() throws Exception {
        Clients.CurlResult result = h2("-i", "-H", "Content-Type: application/x-test", "--data-binary", "ping over h2",
                https.resolve("/echo").toString());
        assertThat(result.stdout()).as(result.stderr()).startsWith("HTTP/2 200")
                .containsIgnoringCase("content-type: application/x-test");
        assertThat(body(result)).endsWith("\r\n\r\nping over h2");
    }

    @Test
    void theAccessLogNamesHttp2() throws Exception {
        Clients.CurlResult result = h2c(plain.resolve("/hello.txt?logged=h2c").toString());
        assertThat(version(result)).as(result.stderr()).isEqualTo("2");
        String line;
        do {
            line = httpd.awaitStdoutLine();
        } while (!line.contains("logged=h2c"));
        assertThat(line).contains("\"GET /hello.txt?logged=h2c HTTP/2\" 200 6");
    }

    @Test
    void noHttp2FallsBackToHttp11OverTls() throws Exception {
        try (HttpdProcess http1 = HttpdProcess.serve(dir, 2, tlsArgs(dir.resolve("root"), "--no-http2"))) {
            Clients.CurlResult result = h2(http1.awaitUris(2).get(1).resolve("/hello.txt").toString());
            assertThat(body(result)).as(result.stderr()).isEqualTo("hello\n");
            assertThat(version(result)).isEqualTo("1.1");
        }
    }

    @Test
    void noHttp2AnswersThePrefaceWith505AndCurlPriorKnowledgeFails() throws Exception {
        try (HttpdProcess http1 = HttpdProcess.serve(dir, 2, tlsArgs(dir.resolve("root"), "--no-http2"))) {
            URI base = http1.awaitUris(2).get(0);
            String answer = Clients.raw(base, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 505 ");
            // curl reads the HTTP/1.1 answer as a broken HTTP/2 connection ("Empty reply from server")
            Clients.CurlResult result = h2c(base.resolve("/hello.txt").toString());
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stdout()).doesNotContain("hello");
            Clients.CurlResult http11 = Clients.curl("-w", VERSION, base.resolve("/hello.txt").toString());
            assertThat(version(http11)).isEqualTo("1.1");
        }
    }

    @Test
    void anUpgradeToH2cIsServedAsHttp11() throws Exception {
        // curl --http2 on plain HTTP asks for "Upgrade: h2c"; RFC 9113 retired that, the answer stays HTTP/1.1
        Clients.CurlResult result = curlWith(List.of("--http2", "-w", VERSION), plain.resolve("/hello.txt").toString());
        assertThat(body(result)).as(result.stderr()).isEqualTo("hello\n");
        assertThat(version(result)).isEqualTo("1.1");
    }
}
