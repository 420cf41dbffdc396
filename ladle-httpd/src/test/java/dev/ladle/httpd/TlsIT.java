package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-cert, --tls-key, --https-port, --client-cert and --trust, with curl and the JDK client. */
class TlsIT {
    @TempDir
    static Path dir;
    static Certificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certificates.create(Files.createDirectories(dir.resolve("certs")));
        Files.writeString(dir.resolve("hello.txt"), "hello");
    }

    private static HttpdProcess serve(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--root", dir.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--https-port", "0", "--tls-cert", certs.serverCert.toString(),
                "--tls-key", certs.serverKey.toString()));
        args.addAll(List.of(extra));
        return HttpdProcess.serve(dir, 2, args.toArray(String[]::new));
    }

    private static URI https(HttpdProcess httpd) throws InterruptedException {
        URI uri = httpd.awaitUris(2).get(1);
        assertThat(uri.getScheme()).isEqualTo("https");
        return uri;
    }

    @Test
    void httpsServesTheFilesNextToHttp() throws Exception {
        try (HttpdProcess httpd = serve()) {
            List<URI> uris = httpd.awaitUris(2);
            assertThat(uris).extracting(URI::getScheme).containsExactly("http", "https");
            assertThat(uris.get(0).getPort()).isNotEqualTo(uris.get(1).getPort());
            Clients.CurlResult result = Clients.curl("--cacert", certs.caCert.toString(),
                    uris.get(1).resolve("/hello.txt").toString());
            assertThat(result.stdout()).as(result.stderr()).isEqualTo("hello");
            assertThat(Clients.get(uris.get(0), "/hello.txt").body()).isEqualTo("hello");
        }
    }

    @Test
    void theJdkClientTrustingTheCaGetsTheFile() throws Exception {
        try (HttpdProcess httpd = serve()) {
            HttpClient client = HttpClient.newBuilder().sslContext(certs.trustingClientContext()).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(https(httpd).resolve("/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        }
    }

    @Test
    void clientCertRequiredRefusesAClientWithoutOne() throws Exception {
        try (HttpdProcess httpd = serve("--client-cert", "required", "--trust", certs.caCert.toString())) {
            URI uri = https(httpd).resolve("/hello.txt");
            Clients.CurlResult without = Clients.curl("--cacert", certs.caCert.toString(), uri.toString());
            assertThat(without.exitCode()).isNotZero();
            assertThat(without.stdout()).isEmpty();
            Clients.CurlResult with = Clients.curl("--cacert", certs.caCert.toString(), "--cert",
                    certs.clientCert.toString(), "--key", certs.clientKey.toString(), uri.toString());
            assertThat(with.stdout()).as(with.stderr()).isEqualTo("hello");
        }
    }

    @Test
    void clientCertRequestedAcceptsClientsWithAndWithout() throws Exception {
        try (HttpdProcess httpd = serve("--client-cert", "requested", "--trust", certs.caCert.toString())) {
            URI uri = https(httpd).resolve("/hello.txt");
            assertThat(Clients.curl("--cacert", certs.caCert.toString(), uri.toString()).stdout()).isEqualTo("hello");
            assertThat(Clients.curl("--cacert", certs.caCert.toString(), "--cert", certs.clientCert.toString(),
                    "--key", certs.clientKey.toString(), uri.toString()).stdout()).isEqualTo("hello");
        }
    }

    @Test
    void aMissingCertificateExits1WithOneLine() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", "missing.pem", "--tls-key", certs.serverKey.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("ladle-httpd: --tls-cert missing.pem: no such file\n");
    }

    @Test
    void anUnreadableKeyExits1WithOneLine() throws Exception {
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", garbage.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).startsWith("ladle-httpd: cannot use the TLS certificate").contains("garbage.key")
                .doesNotContain("\tat ");
    }

    @Test
    void aKeyThatIsACertificateExits1WithOneLine() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverCert.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).doesNotContain("\tat ");
    }

    @Test
    void aMissingTrustFileExits1WithOneLine() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--client-cert", "required", "--trust", "no-ca.pem");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("ladle-httpd: --trust no-ca.pem: no such file\n");
    }
}
