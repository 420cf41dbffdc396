package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.http.HttpVersion;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MockServer over HTTP/2: h2c by prior knowledge on plain HTTP, h2 through ALPN over HTTPS, the journal's
 * protocol, {@code http1Only()}, and the misbehaving responses (disconnect, chunks, delay) on a stream.
 */
@Timeout(30)
class MockServerHttp2Test {
    private MockServer server;
    private OkHttpClient okHttp;

    @AfterEach
    void stop() {
        if (okHttp != null) {
            okHttp.dispatcher().executorService().shutdown();
            okHttp.connectionPool().evictAll();
        }
        if (server != null) {
            server.close();
        }
    }

    /** An OkHttp client that speaks HTTP/2 straight away on plain connections (h2c by prior knowledge). */
    private static OkHttpClient.Builder priorKnowledge() {
        return new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    }

    /** An OkHttp client trusting {@code https}'s certificate; it offers h2 and http/1.1 through ALPN. */
    private static OkHttpClient trusting(MockServer https) {
        return new OkHttpClient.Builder()
                .sslSocketFactory(https.sslContext().getSocketFactory(), https.trustManager())
                .build();
    }

    private Response get(String path) throws IOException {
        return okHttp.newCall(new Request.Builder().url(server.uri(path).toString()).build()).execute();
    }

    @Test
    void okHttpWithPriorKnowledgeIsAnsweredOverH2cAndTheJournalSaysHttp2() throws Exception {
        server = MockServer.start();
        okHttp = priorKnowledge().build();
        server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}").withHeader("X-Trace", "abc"));
        try (Response response = get("/users/7")) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("X-Trace")).isEqualTo("abc");
            assertThat(response.body().string()).isEqualTo("{\"name\":\"Ada\"}");
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(request.matchedBy()).isEqualTo("GET /users/7");
        // HTTP/2 names the authority in :authority, not in a Host header; the recorded URI has it either way
        assertThat(request.uri().getAuthority()).isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void okHttpOverHttpsNegotiatesH2() throws Exception {
        server = MockServer.builder().https().start();
        okHttp = trusting(server);
        server.onPost("/items").withBody("{}").respond(201);
        Request post = new Request.Builder().url(server.uri("/items").toString())
                .post(okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))).build();
        try (Response response = okHttp.newCall(post).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(response.code()).isEqualTo(201);
        }
        RecordedRequest request = server.takeRequest();
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(request.bodyAsString()).isEqualTo("{}");
    }

    @Test
    void jdkClientOverHttpsGetsHttp2() throws Exception {
        server = MockServer.builder().https().start();
        server.onGet("/secure").respond(200, "text/plain", "sealed");
        try (HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/secure")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("sealed");
        }
        assertThat(server.takeRequest().version()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void plainJdkClientAskingForAnH2cUpgradeStaysOnHttp11() throws Exception {
        server = MockServer.start();
        server.onGet("/plain").respond(204);
        // the JDK client's default on http:// is an "Upgrade: h2c" request, which is served as HTTP/1.1
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/plain")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.statusCode()).isEqualTo(204);
        }
        assertThat(server.takeRequest().version()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void http1OnlyRefusesOkHttpPriorKnowledge() {
        server = MockServer.builder().http1Only().start();
        okHttp = priorKnowledge().build();
        server.onGet("/a").respond(200);
        // the preface gets an HTTP/1.1 505, which OkHttp cannot read as HTTP/2
        assertThatThrownBy(() -> get("/a").close()).isInstanceOf(IOException.class);
        // the preface is journaled as what it was to the server, a request it refused; OkHttp gives up on
        // the 505's first bytes, which may be before the server journaled it, so wait for it
        RecordedRequest preface = server.takeRequest();
        assertThat(preface.method()).isEqualTo("PRI");
        assertThat(preface.status()).isEqualTo(505);
        assertThat(preface.isMatched()).isFalse();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void http1OnlyHttpsAnswersOverHttp11() throws Exception {
        server = MockServer.builder().https().http1Only().start();
        okHttp = trusting(server);
        server.onGet("/a").respond(200, "text/plain", "one");
        try (Response response = get("/a")) {
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
            assertThat(response.body().string()).isEqualTo("one");
        }
        try (HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
        assertThat(server.requests()).extracting(RecordedRequest::version)
                .containsExactly(HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_1);
    }

    @Test
    void disconnectOverH2ResetsTheStreamAndTheConnectionServesTheNextRequest() throws Exception {
        server = MockServer.start();
        okHttp = priorKnowledge().build();
        server.onGet("/drop").respond(MockResponse.disconnect());
        server.onGet("/fine").respond(200, "text/plain", "fine");
        assertThatThrownBy(() -> {
            try (Response response = get("/drop")) {
                response.body().string();
            }
        }).isInstanceOf(IOException.class);
        try (Response response = get("/fine")) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.body().string()).isEqualTo("fine");
        }
        assertThat(okHttp.connectionPool().connectionCount()).isEqualTo(1);
        assertThat(server.requests()).allMatch(RecordedRequest::isMatched).hasSize(2);
    }

    @Test
    void disconnectOverH2FailsTheJdkClient() throws Exception {
        server = MockServer.builder().https().start();
        server.onGet("/drop").respond(MockResponse.disconnect());
        try (HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build()) {
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/drop")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void disconnectWithHttp1OnlyFailsOkHttpBeforeAnyResponse() {
        server = MockServer.builder().http1Only().start();
        okHttp = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        server.onGet("/drop").respond(MockResponse.disconnect());
        assertThatThrownBy(() -> get("/drop").close()).isInstanceOf(IOException.class);
    }

    @Test
    void chunkedBodyOverH2ArrivesWholeWithoutAContentLength() throws Exception {
        server = MockServer.start();
        okHttp = priorKnowledge().build();
        server.onGet("/stream").respond(MockResponse.text("abcdefghij").withChunkedBody(4, Duration.ofMillis(50)));
        try (Response response = get("/stream")) {
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.header("Transfer-Encoding")).isNull();
            // the head comes before the body: the first chunk can be read on its own
            assertThat(response.body().source().readUtf8(4)).isEqualTo("abcd");
            assertThat(response.body().source().readUtf8()).isEqualTo("efghij");
        }
    }

    @Test
    void delayOverH2TripsTheClientsTimeoutWhileOtherStreamsGoOn() throws Exception {
        server = MockServer.start();
        okHttp = priorKnowledge().readTimeout(Duration.ofMillis(300)).build();
        server.onGet("/slow").respond(MockResponse.text("late").withDelay(Duration.ofSeconds(3)));
        server.onGet("/fast").respond(MockResponse.text("quick"));
        assertThatThrownBy(() -> get("/slow").close()).isInstanceOf(InterruptedIOException.class);
        try (Response response = get("/fast")) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.body().string()).isEqualTo("quick");
        }
    }

    /** A JDK WebSocket listener that queues the text it receives. */
    private static final class Inbox implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }
    }

    @Test
    void webSocketStubOverHttpsStillServesTheJdkClientOverHttp11() throws Exception {
        server = MockServer.builder().https().start();
        MockWebSocket chat = server.onWebSocket("/chat").replyWith(text -> "echo: " + text);
        try (HttpClient client = HttpClient.newBuilder().sslContext(server.sslContext()).build()) {
            Inbox inbox = new Inbox();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(server.webSocketUri("/chat"), inbox).join();
            ws.sendText("hello", true).join();
            assertThat(inbox.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
            assertThat(chat.takeMessage().text()).isEqualTo("hello");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        RecordedRequest handshake = server.takeRequest();
        assertThat(handshake.matchedBy()).isEqualTo("websocket /chat");
        assertThat(handshake.version()).isEqualTo(HttpVersion.HTTP_1_1);
    }
}
