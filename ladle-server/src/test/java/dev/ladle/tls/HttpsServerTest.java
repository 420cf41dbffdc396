package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.TlsAuthMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https listeners through {@link Server}, end to end, with the JDK's HttpClient and raw sockets. */
class HttpsServerTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate serverCertificate;
    static TlsCertificate alice;
    static TlsCertificate stranger;

    Server server;
    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        alice = TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey);
        stranger = TlsCertificate.fromPemFiles(pki.strangerCert, pki.strangerKey);
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(serverCertificate);
        server.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", describe(msg).getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String describe(ServerMessage msg) {
        List<X509Certificate> peer = msg.getTlsPeerCertificates();
        return "secure=" + msg.isSecure() + " uri=" + msg.getUri().getScheme() + " peer="
                + (peer.isEmpty() ? "none" : peer.get(0).getSubjectX500Principal().getName())
                + " errors=" + msg.getTlsPeerCertificateErrors();
    }

    private URI listenHttps() throws IOException {
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        return server.getUris().get(server.getUris().size() - 1);
    }

    private static HttpClient client(TlsCertificate certificate) throws Exception {
        return HttpClient.newBuilder().sslContext(TlsClients.context(pki.caCert, certificate))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpsListenerIsReportedAsHttpsAndServesSecureMessages() throws Exception {
        URI uri = listenHttps();

        assertThat(uri.getScheme()).isEqualTo("https");
        HttpResponse<String> response = get(client(null), uri);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("secure=true uri=https peer=none errors=[]");
    }

    @Test
    void httpAndHttpsListenersServeTheSameHandlersSideBySide() throws Exception {
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        List<URI> uris = server.getUris();

        assertThat(uris).extracting(URI::getScheme).containsExactly("http", "https");
        HttpClient client = client(null);
        assertThat(get(client, uris.get(0)).body()).startsWith("secure=false uri=http ");
        assertThat(get(client, uris.get(1)).body()).startsWith("secure=true uri=https ");
    }

    @Test
    void listeningWithHttpsWithoutCertificateThrows() {
        Server plain = new Server();
        try {
            assertThat(plain.isHttps()).isFalse();
            assertThatThrownBy(() -> plain.listenLocal(0, EnumSet.of(ListenOption.HTTPS)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("setTlsCertificate");
            plain.setTlsCertificate(serverCertificate);
            assertThat(plain.isHttps()).isTrue();
        } finally {
            plain.close();
        }
    }

    @Test
    void requiredClientCertificateReachesTheMessage() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);
        URI uri = listenHttps();

        assertThat(get(client(alice), uri).body()).endsWith("peer=CN=Alice errors=[]");
        assertThatThrownBy(() -> get(client(null), uri)).isInstanceOf(IOException.class);
    }

    @Test
    void everyRequestOfAKeptAliveConnectionSeesTheClientCertificate() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        URI uri = listenHttps();
        SSLContext context = TlsClients.context(pki.caCert, alice);

        try (SSLSocket socket = TlsClients.connect(context, uri.getPort())) {
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readResponseBody(socket.getInputStream())).isEqualTo("secure=true uri=https peer=CN=Alice errors=[]");
            }
        }
    }

    @Test
    void acceptCertificateListenerAcceptsAnUntrustedChainAndTheErrorsStayVisible() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);
        List<String> asked = new CopyOnWriteArrayList<>();
        server.onRequestStarted(msg -> msg.onAcceptCertificate((chain, errors) -> {
            asked.add(chain.get(0).getSubjectX500Principal().getName() + " " + errors);
            return true;
        }));
        URI uri = listenHttps();

        assertThat(get(client(stranger), uri).body()).endsWith("peer=CN=Stranger errors=[UNKNOWN_CA]");
        assertThat(asked).containsExactly("CN=Stranger [UNKNOWN_CA]");
    }

    @Test
    void acceptCertificateListenerRefusesAnUntrustedChainUnderRequested() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        server.onRequestStarted(msg -> msg.onAcceptCertificate((chain, errors) -> false));
        URI uri = listenHttps();

        assertThatThrownBy(() -> get(client(stranger), uri)).isInstanceOf(IOException.class);
        assertThat(get(client(alice), uri).body()).endsWith("peer=CN=Alice errors=[]");
    }

    @Test
    void firstMessageKnowsItIsSecureBeforeTheHandshake() throws Exception {
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        server.onRequestStarted(m -> seen.complete(m.isSecure() + " " + m.getTlsPeerCertificates().size() + " "
                + (m.getRemoteAddress() != null) + " " + (m.getLocalAddress() != null)));
        URI uri = listenHttps();
        get(client(null), uri);
        assertThat(seen.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("true 0 true true");
    }

    @Test
    void requestedModeServesAnUntrustedClientWhenNobodyListens() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        URI uri = listenHttps();

        assertThat(get(client(stranger), uri).body()).endsWith("peer=CN=Stranger errors=[UNKNOWN_CA]");
    }

    @Test
    void newCertificateAppliesToConnectionsAcceptedAfterIt() throws Exception {
        URI uri = listenHttps();
        SSLContext context = TlsClients.context(pki.caCert, null);
        try (SSLSocket before = TlsClients.connect(context, uri.getPort())) {
            assertThat(before.getSession().getPeerCertificates()).hasSize(2);

            server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey));

            try (SSLSocket after = TlsClients.connect(TlsClients.context(pki.caCert, null), uri.getPort())) {
                assertThat(after.getSession().getPeerCertificates()).hasSize(1);
            }
            assertThat(TlsClients.request(before)).startsWith("secure=true");
        }
    }

    @Test
    void tlsClientHelloOnAPlainPortGets400AndAClose() throws Exception {
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
        int port = server.getUris().get(0).getPort();

        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(TlsClients.clientHello());
            String response = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(response).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void plainHttpOnAnHttpsPortIsClosedWithoutDisturbingOtherConnections() throws Exception {
        URI uri = listenHttps();
        SSLContext context = TlsClients.context(pki.caCert, null);
        try (SSLSocket other = TlsClients.connect(context, uri.getPort())) {
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

                assertThat(closedByPeer(raw.getInputStream())).isTrue();
            }
            assertThat(TlsClients.request(other)).startsWith("secure=true");
        }
    }

    @Test
    void clientStallingInTheHandshakeIsCutAtTheTimeoutWithoutDisturbingOthers() throws Exception {
        server.setLimits(new Limits().setTlsHandshakeTimeout(Duration.ofMillis(400)));
        URI uri = listenHttps();
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            long start = System.nanoTime();

            assertThat(get(client(null), uri).statusCode()).isEqualTo(200);
            assertThat(closedByPeer(stalled.getInputStream())).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        }
    }

    @Test
    void closeCutsAResponseBlockedOnAClientThatDoesNotRead() throws Exception {
        server.setLimits(new Limits().setShutdownTimeout(Duration.ofMillis(200)));
        server.addHandler("/big", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("application/octet-stream", new byte[64 * 1024 * 1024]);
        });
        URI uri = listenHttps();
        try (SSLSocket socket = TlsClients.connect(TlsClients.context(pki.caCert, null), uri.getPort())) {
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getInputStream().read();
            long start = System.nanoTime();

            Thread closer = Thread.ofVirtual().start(server::close);

            assertThat(closer.join(Duration.ofSeconds(10))).as("close() returned").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** Reads one response with a Content-Length and returns its body. */
    private static String readResponseBody(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed mid-response: " + head);
            }
            head.append((char) b);
        }
        int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** True when the peer closed the connection (EOF or reset) rather than leaving it hanging. */
    private static boolean closedByPeer(InputStream in) {
        List<Integer> ignored = new ArrayList<>();
        try {
            while (in.read() >= 0) {
                ignored.add(0);
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
