package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Server.setStrictTransportSecurity}: on every https response, never on plain http ones. */
class StrictTransportSecurityTest {
    private static final String FIELD = "Strict-Transport-Security";
    @TempDir
    static Path dir;
    static TestPki pki;

    Server server;
    URI http;
    URI https;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("/hello", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));
        });
        server.addHandler("/own", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.getResponseHeaders().replace(FIELD, "max-age=5");
        });
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
        http = server.getUris().get(0);
        https = pki.listenHttpsOnLoopback(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HttpResponse<String> get(HttpClient.Version version, URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).sslContext(TlsClients.context(pki.caCert, null))
                .connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpsAnswersCarryTheFieldOverHttp11AndHttp2() throws Exception {
        server.setStrictTransportSecurity(Duration.ofDays(365), false);

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpResponse<String> response = get(version, https.resolve("/hello"));

            assertThat(response.version()).isEqualTo(version);
            assertThat(response.headers().allValues(FIELD)).containsExactly("max-age=31536000");
        }
    }

    @Test
    void plainHttpAnswersNeverCarryIt() throws Exception {
        server.setStrictTransportSecurity(Duration.ofDays(365), true);

        assertThat(get(HttpClient.Version.HTTP_1_1, http.resolve("/hello")).headers().allValues(FIELD)).isEmpty();
        assertThat(get(HttpClient.Version.HTTP_2, http.resolve("/hello")).headers().allValues(FIELD)).isEmpty();
    }

    @Test
    void notFoundAnswersCarryIt() throws Exception {
        server.setStrictTransportSecurity(Duration.ofSeconds(600), true);

        HttpResponse<String> response = get(HttpClient.Version.HTTP_2, https.resolve("/missing"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().allValues(FIELD)).containsExactly("max-age=600; includeSubDomains");
    }

    @Test
    void errorsTheServerAnswersItselfCarryIt() throws Exception {
        server.setStrictTransportSecurity(Duration.ofSeconds(600), false);

        try (SSLSocket socket = TlsClients.connect(TlsClients.context(pki.caCert, null), https.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = TlsClients.readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 400 ").contains("\r\n" + FIELD + ": max-age=600\r\n");
        }
    }

    @Test
    void plainHttpErrorsTheServerAnswersItselfDoNotCarryIt() throws Exception {
        server.setStrictTransportSecurity(Duration.ofSeconds(600), false);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), http.getPort())) {
            socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String response = TlsClients.readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 400 ").doesNotContain(FIELD);
        }
    }

    @Test
    void aHandlerMayReplaceIt() throws Exception {
        server.setStrictTransportSecurity(Duration.ofDays(365), false);

        assertThat(get(HttpClient.Version.HTTP_1_1, https.resolve("/own")).headers().allValues(FIELD)).containsExactly("max-age=5");
    }

    @Test
    void itIsOffByDefaultAndNullTurnsItOff() throws Exception {
        assertThat(server.getStrictTransportSecurity()).isNull();
        assertThat(get(HttpClient.Version.HTTP_1_1, https.resolve("/hello")).headers().allValues(FIELD)).isEmpty();

        server.setStrictTransportSecurity(Duration.ofDays(1), false);
        server.setStrictTransportSecurity(null, false);

        assertThat(server.getStrictTransportSecurity()).isNull();
        assertThat(get(HttpClient.Version.HTTP_1_1, https.resolve("/hello")).headers().allValues(FIELD)).isEmpty();
    }

    @Test
    void zeroIsAllowedAndANegativeAgeIsRefused() {
        server.setStrictTransportSecurity(Duration.ZERO, false);
        assertThat(server.getStrictTransportSecurity()).isEqualTo("max-age=0");

        assertThatThrownBy(() -> server.setStrictTransportSecurity(Duration.ofSeconds(-1), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
        assertThat(server.getStrictTransportSecurity()).isEqualTo("max-age=0");
    }
}
