package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls-cert}/{@code --tls-key} given several times: one https port, a certificate per server
 * name (SNI), the first pair the default. Seen by {@code openssl s_client -servername} and by curl,
 * which checks that the certificate it gets is for the name in its URL.
 */
class SniIT {
    private static final Pattern SUBJECT = Pattern.compile("(?m)^subject=CN ?= ?(.+)$");
    @TempDir
    static Path dir;
    static Certificates certs;
    static Path[] a;
    static Path[] b;
    static Path[] ipOnly;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Path certDir = Files.createDirectories(dir.resolve("certs"));
        certs = Certificates.create(certDir);
        a = certs.issueServer(certDir, "a", "a.example.com", "DNS:a.example.com");
        b = certs.issueServer(certDir, "b", "b.example.com", "DNS:b.example.com");
        ipOnly = certs.issueServer(certDir, "ip-only", "ip-only", "IP:127.0.0.1");
        Files.writeString(dir.resolve("hello.txt"), "hello");
    }

    /** Serves with the default (localhost) certificate first, then {@code a} and {@code b}. */
    private static HttpdProcess serve() throws Exception {
        return HttpdProcess.serve(dir, 2, "--root", dir.toString(), "--bind", "127.0.0.1", "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--tls-cert", a[0].toString(), "--tls-key", a[1].toString(),
                "--tls-cert", b[0].toString(), "--tls-key", b[1].toString());
    }

    /** Returns the common name of the certificate {@code openssl s_client} gets with {@code args}. */
    private static String presented(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", certs.caCert.toString(), "-verify_return_error"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher subject = SUBJECT.matcher(output);
        assertThat(subject.find()).as(output).isTrue();
        return subject.group(1).strip();
    }

    @Test
    void eachNameGetsItsCertificateAndNoNameGetsTheFirst() throws Exception {
        try (HttpdProcess httpd = serve()) {
            URI https = httpd.awaitUris(2).get(1);
            assertThat(https.getScheme()).isEqualTo("https");
            int port = https.getPort();

            assertThat(presented(port, "-servername", "a.example.com")).isEqualTo("a.example.com");
            assertThat(presented(port, "-servername", "b.example.com")).isEqualTo("b.example.com");
            assertThat(presented(port, "-noservername")).isEqualTo("localhost");
            assertThat(presented(port, "-servername", "other.example.com")).isEqualTo("localhost");
        }
    }

    @Test
    void curlVerifiesEachNamesCertificate() throws Exception {
        try (HttpdProcess httpd = serve()) {
            int port = httpd.awaitUris(2).get(1).getPort();
            for (String name : List.of("a.example.com", "b.example.com", "localhost")) {
                Clients.CurlResult result = Clients.curl("--cacert", certs.caCert.toString(),
                        "--resolve", name + ":" + port + ":127.0.0.1", "https://" + name + ":" + port + "/hello.txt");
                assertThat(result.stdout()).as(name + ": " + result.stderr()).isEqualTo("hello");
            }
        }
    }

    @Test
    void moreCertificatesThanKeysIsAUsageError() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--tls-cert", a[0].toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("ladle-httpd: each --tls-cert needs its --tls-key, in the same order;"
                + " got 2 --tls-cert and 1 --tls-key").contains("Usage: ladle-httpd");
    }

    @Test
    void aLaterCertificateWithoutADnsNameExits1WithOneLine() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--tls-cert", ipOnly[0].toString(), "--tls-key", ipOnly[1].toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).startsWith("ladle-httpd: --tls-cert " + ipOnly[0]).contains("CN=ip-only")
                .contains("no DNS host").doesNotContain("\tat ");
    }

    @Test
    void aFirstCertificateWithoutADnsNameIsTheDefaultAlone() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 2, "--root", dir.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--https-port", "0",
                "--tls-cert", ipOnly[0].toString(), "--tls-key", ipOnly[1].toString(),
                "--tls-cert", a[0].toString(), "--tls-key", a[1].toString())) {
            int port = httpd.awaitUris(2).get(1).getPort();

            assertThat(presented(port, "-noservername")).isEqualTo("ip-only");
            assertThat(presented(port, "-servername", "a.example.com")).isEqualTo("a.example.com");
        }
    }
}
