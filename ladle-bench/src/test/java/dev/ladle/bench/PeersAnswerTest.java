package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server of the benchmark starts on a free port and answers the shared endpoints the same way:
 * the benchmark compares like with like only while this holds. No load is generated here.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PeersAnswerTest {
    private static HttpClient client;

    static Iterable<String> servers() {
        return Main.SERVERS.keySet().stream().sorted().toList();
    }

    @BeforeAll
    static void startClient() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    private static URI uri(BenchServer server, String path) {
        return URI.create("http://" + Endpoints.HOST + ":" + server.port() + path);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void plaintextAnswersThirteenBytesOfHelloWorld(String name) throws Exception {
        try (BenchServer server = Main.start(name, ServerOptions.plain(0))) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(uri(server, Endpoints.PLAINTEXT)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("Hello, World!");
            assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void bytes16kAnswersSixteenKibibytes(String name) throws Exception {
        try (BenchServer server = Main.start(name, ServerOptions.plain(0))) {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(uri(server, Endpoints.BYTES_16K)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Endpoints.bytes16k());
            assertThat(response.headers().firstValue("content-type")).hasValue(Endpoints.OCTET_STREAM);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void echoSendsTheRequestBodyBack(String name) throws Exception {
        byte[] body = new byte[64 * 1024 + 7];
        Arrays.fill(body, (byte) 'e');
        body[body.length - 1] = 'z';
        try (BenchServer server = Main.start(name, ServerOptions.plain(0))) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri(server, Endpoints.ECHO))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void uploadCountsTheBytesItReceived(String name) throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        try (BenchServer server = Main.start(name, ServerOptions.plain(0))) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(server, Endpoints.UPLOAD))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Long.toString(body.length));
        }
    }
}
