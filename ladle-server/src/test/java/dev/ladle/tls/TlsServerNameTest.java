package dev.ladle.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ServerMessage.getTlsServerName()}: the name the client sent in its TLS handshake, on HTTP/1.1
 * messages, HTTP/2 streams and WebSocket handshakes. The handlers answer with the protocol and the name.
 * The JDK HttpClient sends no name for an IP address, but then the one given in its SSL parameters.
 */
class TlsServerNameTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Issued aCertificate;

    Server server;
    URI https;
    URI http;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        aCertificate = pki.issueServer("a", "a", TestPki.KeyKind.EC, "DNS:a.example.com", "IP:127.0.0.1");
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));
        server.addTlsCertificate(aCertificate.load());
        server.addHandler("/", (s, msg, path, query) ->
                msg.setResponse("text/plain", (msg.getHttpVersion().text() + " " + msg.getTlsServerName()).getBytes(UTF_8)));
        server.addWebSocketHandler("/ws", null, null, (s, msg, path, conn) -> conn.sendText("ws " + msg.getTlsServerName()));
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        http = server.getUris().get(0);
        https = server.getUris().get(1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A JDK client sending {@code serverName} (none for null) to the IP address URIs. */
    private static HttpClient client(HttpClient.Version version, String serverName) throws Exception {
        SSLContext context = TlsClients.context(pki.caCert, null);
        SSLParameters params = context.getDefaultSSLParameters();
        params.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        return HttpClient.newBuilder().version(version).sslContext(context).sslParameters(params)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http11MessagesCarryTheNameTheClientSent() throws Exception {
        HttpResponse<String> response = get(client(HttpClient.Version.HTTP_1_1, "a.example.com"), https);

        assertThat(response.body()).isEqualTo("HTTP/1.1 a.example.com");
    }

    @Test
    void http2StreamsCarryTheNameTheClientSent() throws Exception {
        HttpClient client = client(HttpClient.Version.HTTP_2, "a.example.com");

        assertThat(get(client, https).body()).isEqualTo("HTTP/2 a.example.com");
        assertThat(get(client, https.resolve("/second")).body()).as("a later stream").isEqualTo("HTTP/2 a.example.com");
    }

    @Test
    void curlSendsTheNameOfTheUrlOverHttp2() {
        TestPki.ProcessResult result = TestPki.exec(List.of("curl", "-sS", "--max-time", "20", "--http2",
                "--cacert", pki.caCert.toString(), "--resolve", "a.example.com:" + https.getPort() + ":127.0.0.1",
                "https://a.example.com:" + https.getPort() + "/"), null, Duration.ofSeconds(30));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo("HTTP/2 a.example.com");
    }

    @Test
    void webSocketHandshakesCarryTheNameTheClientSent() throws Exception {
        CompletableFuture<String> text = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.complete(data.toString());
                return null;
            }
        };
        URI ws = URI.create("wss://127.0.0.1:" + https.getPort() + "/ws");

        WebSocket socket = client(HttpClient.Version.HTTP_1_1, "a.example.com").newWebSocketBuilder()
                .buildAsync(ws, listener).get(20, TimeUnit.SECONDS);
        try {
            assertThat(text.get(20, TimeUnit.SECONDS)).isEqualTo("ws a.example.com");
        } finally {
            socket.abort();
        }
    }

    @Test
    void theNameIsLowerCase() throws Exception {
        try (SSLSocket socket = (SSLSocket) TlsClients.context(pki.caCert, null).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), https.getPort())) {
            socket.setSoTimeout(20_000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName("A.Example.COM")));
            socket.setSSLParameters(params);

            assertThat(TlsClients.request(socket)).isEqualTo("HTTP/1.1 a.example.com");
        }
    }

    @Test
    void theNameIsNullWhenTheClientSentNone() throws Exception {
        assertThat(get(client(HttpClient.Version.HTTP_1_1, null), https).body()).isEqualTo("HTTP/1.1 null");
        assertThat(get(client(HttpClient.Version.HTTP_2, null), https).body()).isEqualTo("HTTP/2 null");
    }

    @Test
    void theNameIsNullOnPlainConnections() throws Exception {
        assertThat(get(client(HttpClient.Version.HTTP_1_1, null), http).body()).isEqualTo("HTTP/1.1 null");
    }
}
