package dev.ladle.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 over TLS (ALPN {@code h2}) with the JDK HttpClient, OkHttp, curl and a raw ALPN handshake. */
class Http2TlsTest {
    private static final String[] H2_FIRST = {"h2", "http/1.1"};
    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate serverCertificate;
    static TlsCertificate alice;

    Server server;
    URI uri;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        alice = TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey);
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(serverCertificate);
        server.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server.addHandler("/", (s, msg, path, query) -> {
            List<java.security.cert.X509Certificate> peer = msg.getTlsPeerCertificates();
            String text = msg.getHttpVersion().text() + " secure=" + msg.isSecure() + " scheme=" + msg.getUri().getScheme()
                    + " peer=" + (peer.isEmpty() ? "none" : peer.get(0).getSubjectX500Principal().getName());
            msg.setResponse("text/plain", text.getBytes(UTF_8));
        });
    }

    private void listen() throws IOException {
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        uri = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpClient jdkClient(TlsCertificate clientCertificate) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsClients.context(pki.caCert, clientCertificate)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void jdkClientNegotiatesH2ThroughAlpn() throws Exception {
        listen();
        HttpResponse<String> r = jdkClient(null).send(HttpRequest.newBuilder(uri.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).isEqualTo("HTTP/2 secure=true scheme=https peer=none");
    }

    @Test
    void clientCertificatesReachHttp2Messages() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);
        listen();
        HttpResponse<String> r = jdkClient(alice).send(HttpRequest.newBuilder(uri.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).startsWith("HTTP/2 secure=true scheme=https peer=").contains("CN=Alice");
    }

    @Test
    void withHttp2DisabledAlpnChoosesHttp11() throws Exception {
        server.setHttp2Enabled(false);
        assertThat(server.isHttp2Enabled()).isFalse();
        listen();
        HttpResponse<String> r = jdkClient(null).send(HttpRequest.newBuilder(uri.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).startsWith("HTTP/1.1 ");
        try (SSLSocket socket = TlsClients.connectOffering(TlsClients.context(pki.caCert, null), uri.getPort(), H2_FIRST)) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void alpnPrefersH2WhenTheClientOffersBoth() throws Exception {
        listen();
        try (SSLSocket socket = TlsClients.connectOffering(TlsClients.context(pki.caCert, null), uri.getPort(), H2_FIRST)) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void okHttpNegotiatesH2() throws Exception {
        listen();
        SSLContext context = TlsClients.context(pki.caCert, null);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TlsCertificate.certificates(TlsCertificate.parse(pki.caCert), "ca").get(0));
        factory.init(trust);
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(context.getSocketFactory(), (X509TrustManager) factory.getTrustManagers()[0])
                .hostnameVerifier((host, session) -> true).build();
        try (Response r = client.newCall(new Request.Builder().url(uri.resolve("/").toString()).build()).execute()) {
            assertThat(r.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(r.body().string()).startsWith("HTTP/2 secure=true");
        }
    }

    @Test
    void curlNegotiatesH2() throws Exception {
        listen();
        Process p = new ProcessBuilder("curl", "-sS", "--http2", "--cacert", pki.caCert.toString(), "-w", " %{http_version}",
                "https://localhost:" + uri.getPort() + "/").redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), UTF_8)).isEqualTo("HTTP/2 secure=true scheme=https peer=none 2");
    }
}
