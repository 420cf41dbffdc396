package dev.ladle.examples.guide.tls;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TLS chapter says: loading certificates, https next to http, client certificates, what is refused. */
class TlsServerTest {
    @TempDir
    static Path dir;
    static GuidePki pki;

    private Server server;
    private URI https;
    private URI http;

    @BeforeAll
    static void createCertificates() throws IOException {
        assumeTrue(GuidePki.opensslInstalled(), "openssl makes the test certificates");
        pki = GuidePki.create(dir);
    }

    @BeforeEach
    void start() throws IOException {
        server = TlsServer.start(TlsServer.fromPem(dir), 0, 0);
        https = uri("https");
        http = uri("http");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String scheme) {
        return server.getUris().stream().filter(u -> u.getScheme().equals(scheme) && u.getHost().equals("127.0.0.1"))
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> get(SSLContext context, URI uri) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(context).build()) {
            return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
        }
    }

    @Test
    void pemFilesAndPkcs12GiveTheSameCertificate() throws IOException {
        TlsCertificate pem = TlsServer.fromPem(dir);
        TlsCertificate p12 = TlsServer.fromPkcs12(dir.resolve("server.p12"), GuidePki.PASSWORD);
        assertThat(p12.getCertificateChain().get(0)).isEqualTo(pem.getCertificateChain().get(0));
        assertThat(pem.getCertificateChain()).as("fullchain.pem: leaf, then the CA").hasSize(2);
        assertThatThrownBy(() -> TlsServer.fromPkcs12(dir.resolve("server.p12"), "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpsAndPlainHttpServeTheSameHandlers() throws Exception {
        HttpResponse<String> secure = get(pki.clientContext(null), https);
        assertThat(secure.body()).isEqualTo("over https\n");
        assertThat(secure.version()).as("h2 by ALPN").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get(pki.clientContext(null), http).body()).isEqualTo("over plain http\n");
        assertThat(https.getPort()).isNotEqualTo(http.getPort());
    }

    @Test
    void anHttpsListenerNeedsACertificate() {
        try (Server bare = new Server()) {
            assertThatThrownBy(() -> bare.listenLocal(0, Set.of(ListenOption.HTTPS))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void requestedClientCertificatesAreNamedWhenValid() throws Exception {
        TlsServer.askForClientCertificates(server, dir.resolve("ca.pem"));
        HttpResponse<String> alice = get(pki.clientContext("alice.p12"), https.resolve("/whoami"));
        assertThat(alice.body()).isEqualTo("Hello, CN=Alice\n");
        HttpResponse<String> nobody = get(pki.clientContext(null), https.resolve("/whoami"));
        assertThat(nobody.statusCode()).as("REQUESTED serves clients without a certificate").isEqualTo(403);
        HttpResponse<String> mallory = get(pki.clientContext("mallory.p12"), https.resolve("/whoami"));
        assertThat(mallory.statusCode()).as("a certificate no trusted CA signed is served, with errors").isEqualTo(403);
        assertThat(get(pki.clientContext(null), https).body()).isEqualTo("over https\n");
    }

    @Test
    void requiredClientCertificatesFailTheHandshakeWithoutOne() throws Exception {
        TlsServer.askForClientCertificates(server, dir.resolve("ca.pem"));
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);
        assertThat(get(pki.clientContext("alice.p12"), https.resolve("/whoami")).body()).isEqualTo("Hello, CN=Alice\n");
        assertThatThrownBy(() -> get(pki.clientContext(null), https)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(pki.clientContext("mallory.p12"), https)).isInstanceOf(IOException.class);
    }

    @Test
    void curlPresentsAClientCertificate() throws Exception {
        TlsServer.askForClientCertificates(server, dir.resolve("ca.pem"));
        Process curl = new ProcessBuilder("curl", "-s", "-S", "--max-time", "10", "--cacert", "ca.pem", "--cert", "alice.pem",
                "--key", "alice.key", https.resolve("/whoami").toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("Hello, CN=Alice\n");
    }

    @Test
    void tls11IsRefused() throws Exception {
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + https.getPort(), "-tls1_1",
                "-cipher", "DEFAULT:@SECLEVEL=0").redirectErrorStream(true).start();
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as(out).isNotZero();
        assertThat(out).contains("alert protocol version");
    }

    @Test
    void clientInitiatedRenegotiationClosesTheConnection() throws Exception {
        SSLContext context = pki.clientContext(null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), https.getPort())) {
            socket.setSoTimeout(20_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            var params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(params);
            assertThat(exchange(socket)).startsWith("HTTP/1.1 200 OK").endsWith("over https\n");
            socket.startHandshake(); // a second handshake on TLS 1.2: renegotiation
            String after;
            try {
                after = exchange(socket);
            } catch (SSLException | java.net.SocketException closed) {
                after = "";
            }
            assertThat(after).isEmpty();
        }
    }

    /** Sends one request and reads what comes back until the server closes or stops. */
    private static String exchange(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(ISO_8859_1));
        socket.getOutputStream().flush();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!response.toString(ISO_8859_1).endsWith("over https\n")) {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                break;
            }
            response.write(buffer, 0, n);
        }
        return response.toString(ISO_8859_1);
    }

}
