package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --crl}, {@code --ocsp-responder} and {@code --revocation-soft-fail} with curl presenting client
 * certificates from a CA run by {@code openssl ca}: Alice's is good, Mallory's revoked.
 */
class RevocationIT {
    @TempDir
    static Path dir;
    static Certificates certs;
    static Path clientCa;
    static Path clientKey;
    static Path alice;
    static Path mallory;
    static Path crl;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certificates.create(Files.createDirectories(dir.resolve("certs")));
        Files.writeString(dir.resolve("hello.txt"), "hello");
        Path ca = Files.createDirectories(dir.resolve("client-ca"));
        Files.writeString(ca.resolve("index.txt"), "");
        Path config = ca.resolve("ca.cnf");
        Files.writeString(config, """
                [ca]
                default_ca = clients
                [clients]
                database = %1$s/index.txt
                new_certs_dir = %1$s
                certificate = %1$s/ca.pem
                private_key = %1$s/ca.key
                rand_serial = yes
                default_md = sha256
                default_days = 2
                default_crl_days = 1
                policy = any
                [any]
                commonName = supplied
                [client]
                extendedKeyUsage = clientAuth
                """.formatted(ca));
        clientCa = ca.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                ca.resolve("ca.key").toString(), "-out", clientCa.toString(), "-days", "2", "-subj", "/CN=Client CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        clientKey = ca.resolve("client.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", clientKey.toString());
        alice = issue(config, "Alice");
        mallory = issue(config, "Mallory");
        openssl("ca", "-config", config.toString(), "-revoke", mallory.toString(), "-crl_reason", "keyCompromise");
        crl = ca.resolve("crl.pem");
        openssl("ca", "-config", config.toString(), "-gencrl", "-out", crl.toString());
    }

    private static Path issue(Path config, String name) throws Exception {
        Path csr = config.resolveSibling(name + ".csr");
        Path cert = config.resolveSibling(name + ".pem");
        openssl("req", "-new", "-key", clientKey.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        openssl("ca", "-batch", "-notext", "-config", config.toString(), "-in", csr.toString(), "-out", cert.toString(),
                "-extensions", "client");
        return cert;
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed:\n" + output);
        }
    }

    private static HttpdProcess serve(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--root", dir.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--https-port", "0", "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--client-cert", "required", "--trust", clientCa.toString()));
        args.addAll(List.of(extra));
        return HttpdProcess.serve(dir, 2, args.toArray(String[]::new));
    }

    private static Clients.CurlResult curlAs(Path clientCert, URI uri) throws Exception {
        return Clients.curl("--cacert", certs.caCert.toString(), "--cert", clientCert.toString(), "--key", clientKey.toString(),
                uri.resolve("/hello.txt").toString());
    }

    /** Returns the URI of a port where nothing listens. */
    private static String responderDown() throws IOException {
        try (ServerSocket closed = new ServerSocket()) {
            closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return "http://127.0.0.1:" + closed.getLocalPort() + "/";
        }
    }

    @Test
    void crlRefusesTheRevokedClientAndServesTheGoodOne() throws Exception {
        try (HttpdProcess httpd = serve("--crl", crl.toString())) {
            URI https = httpd.awaitUris(2).get(1);
            Clients.CurlResult good = curlAs(alice, https);
            assertThat(good.stdout()).as(good.stderr()).isEqualTo("hello");
            Clients.CurlResult revoked = curlAs(mallory, https);
            assertThat(revoked.exitCode()).isNotZero();
            assertThat(revoked.stdout()).isEmpty();
        }
    }

    @Test
    void ocspResponderThatIsDownRefusesEvenTheGoodClient() throws Exception {
        try (HttpdProcess httpd = serve("--ocsp-responder", responderDown())) {
            Clients.CurlResult good = curlAs(alice, httpd.awaitUris(2).get(1));
            assertThat(good.exitCode()).isNotZero();
            assertThat(good.stdout()).isEmpty();
        }
    }

    @Test
    void ocspResponderThatIsDownServesTheGoodClientUnderSoftFail() throws Exception {
        try (HttpdProcess httpd = serve("--ocsp-responder", responderDown(), "--revocation-soft-fail")) {
            Clients.CurlResult good = curlAs(alice, httpd.awaitUris(2).get(1));
            assertThat(good.stdout()).as(good.stderr()).isEqualTo("hello");
        }
    }

    @Test
    void aFileThatHoldsNoCrlExits1WithOneLine() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--client-cert", "required", "--trust", clientCa.toString(), "--crl", clientCa.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).startsWith("ladle-httpd: cannot use the CRL file " + clientCa).doesNotContain("\tat ");
    }

    @Test
    void revocationFlagsWithoutClientCertificatesAreAUsageError() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(), "--crl", crl.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--client-cert requested or required");
    }

    @Test
    void softFailWithoutARevocationSourceIsAUsageError() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--https-port", "0",
                "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--client-cert", "required", "--revocation-soft-fail");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--revocation-soft-fail needs");
    }
}
