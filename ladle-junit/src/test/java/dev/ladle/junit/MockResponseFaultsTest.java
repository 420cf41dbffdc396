package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The faults over HTTP/1.1: the exact bytes on the wire (raw sockets) and what real clients (the JDK
 * HttpClient, OkHttp) make of them.
 */
@Timeout(30)
class MockResponseFaultsTest {
    private final MockServer server = MockServer.start();
    private final HttpClient jdk = HttpClient.newHttpClient();
    private final OkHttpClient okHttp = new OkHttpClient.Builder().build(); // retries on connection failure

    @AfterEach
    void stop() {
        server.close();
        jdk.close();
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    private HttpResponse<String> jdkGet(String path) throws Exception {
        return jdk.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String okHttpGet(String path) throws IOException {
        try (Response response = okHttp.newCall(new Request.Builder().url(server.uri(path).toString()).build()).execute()) {
            return response.body().string();
        }
    }

    // ---- before any response byte -----------------------------------------------------------------

    @Test
    void disconnectEndsTheStreamBeforeAnyResponseByte() throws Exception {
        server.onGet("/drop").respond(MockResponse.disconnect());
        try (RawHttp raw = new RawHttp(server.uri())) {
            assertThat(raw.get("/drop").readToEnd()).isEmpty();
        }
    }

    @Test
    void disconnectIsRetriedSilentlyByTheJdkClientSoTheJournalShowsTwoRequests() {
        server.onGet("/drop").respond(MockResponse.disconnect());
        assertThatThrownBy(() -> jdkGet("/drop")).isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(2).allMatch(r -> r.path().equals("/drop"));
    }

    @Test
    void disconnectOnAConnectionOkHttpReusesIsRetriedSilentlyTooButABodyCutIsNot() throws Exception {
        server.onGet("/ok").respond(MockResponse.text("ok"));
        server.onGet("/drop").respond(MockResponse.disconnect());
        server.onGet("/short").respond(MockResponse.text("0123456789").withBodyCutAfter(3));
        assertThat(okHttpGet("/ok")).isEqualTo("ok");
        assertThatThrownBy(() -> okHttpGet("/drop")).isInstanceOf(IOException.class);
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/drop")).hasSizeGreaterThan(1);

        assertThat(okHttpGet("/ok")).isEqualTo("ok");
        assertThatThrownBy(() -> okHttpGet("/short")).isInstanceOf(IOException.class);
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/short")).hasSize(1);
    }

    @Test
    void resetGivesTheClientAConnectionResetInsteadOfAnEndOfStream() throws Exception {
        server.onGet("/reset").respond(MockResponse.reset());
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.get("/reset");
            assertThatThrownBy(raw::readToEnd).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThatThrownBy(() -> jdkGet("/reset")).isInstanceOf(IOException.class);
    }

    @Test
    void randomBytesComeInsteadOfAResponseThenTheConnectionCloses() throws Exception {
        server.onGet("/noise").respond(MockResponse.randomBytes(64, 7));
        byte[] first;
        byte[] second;
        try (RawHttp raw = new RawHttp(server.uri())) {
            first = raw.get("/noise").readBytesToEnd();
        }
        try (RawHttp raw = new RawHttp(server.uri())) {
            second = raw.get("/noise").readBytesToEnd();
        }
        assertThat(first).hasSize(64).isEqualTo(second); // seeded: the same bytes each time
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
        assertThatThrownBy(() -> jdkGet("/noise")).isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(3); // the JDK client got bytes: it does not retry
    }

    @Test
    void halfCloseEndsTheClientsInputWhileItsWritesStillGoThrough() throws Exception {
        server.onGet("/half").respond(MockResponse.halfClose());
        try (RawHttp raw = new RawHttp(server.uri())) {
            assertThat(raw.get("/half").readToEnd()).isEmpty();
            // a closed socket would answer these with a reset, failing a later write or the read below
            for (int i = 0; i < 64; i++) {
                raw.send("x".repeat(1024));
            }
            raw.socket().shutdownOutput();
            assertThat(raw.socket().getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void stallSendsNothingUntilTheClientGivesUp() throws Exception {
        server.onGet("/stall").respond(MockResponse.stall());
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.socket().setSoTimeout(300);
            raw.get("/stall");
            assertThatThrownBy(() -> raw.socket().getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThatThrownBy(() -> jdk.send(HttpRequest.newBuilder(server.uri("/stall")).timeout(Duration.ofMillis(300))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    }

    // ---- part of a response, which no client retries -----------------------------------------------

    @Test
    void headCutSendsTheFirstBytesOfTheHeadThenCloses() throws Exception {
        server.onGet("/head").respond(MockResponse.text("hello").withHeadCutAfter(12));
        try (RawHttp raw = new RawHttp(server.uri())) {
            assertThat(raw.get("/head").readToEnd()).isEqualTo("HTTP/1.1 200");
        }
        assertThatThrownBy(() -> jdkGet("/head")).isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(2); // the raw request and the JDK client's only one: no retry
    }

    @Test
    void bodyCutDeclaresTheWholeLengthSendsFewerBytesAndEndsTheConnection() throws Exception {
        server.onGet("/short").respond(MockResponse.text("0123456789").withBodyCutAfter(3));
        try (RawHttp raw = new RawHttp(server.uri())) {
            String all = raw.get("/short").readToEnd();
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 10\r\n")
                    .contains("\r\nConnection: close\r\n").endsWith("\r\n\r\n012");
        }
        assertThatThrownBy(() -> jdkGet("/short")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> okHttpGet("/short")).isInstanceOf(IOException.class);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void malformedChunkFollowsTheBodyAndFailsTheClient() throws Exception {
        server.onGet("/chunk").respond(MockResponse.text("hello").withMalformedChunk());
        try (RawHttp raw = new RawHttp(server.uri())) {
            String all = raw.get("/chunk").readToEnd();
            assertThat(all).contains("\r\nTransfer-Encoding: chunked\r\n").endsWith("\r\n\r\n5\r\nhello\r\nzz\r\n");
        }
        assertThatThrownBy(() -> okHttpGet("/chunk")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> jdkGet("/chunk")).isInstanceOf(IOException.class);
    }

    // ---- slow answers -----------------------------------------------------------------------------

    @Test
    void throttledBodyKeepsItsContentLengthAndComesInPiecesAtTheSetRate() throws Exception {
        server.onGet("/drip").respond(MockResponse.text("0123456789").withThrottledBody(2, Duration.ofMillis(100)));
        long start = System.nanoTime();
        try (RawHttp raw = new RawHttp(server.uri())) {
            String head = raw.get("/drip").readHead();
            assertThat(head).contains("\r\nContent-Length: 10\r\n").doesNotContain("chunked");
            byte[] body = raw.socket().getInputStream().readNBytes(10);
            assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        }
        // five pieces, four pauses between them
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(okHttpGet("/drip")).isEqualTo("0123456789");
    }

    @Test
    void randomDelayWithinBoundsTripsAShorterClientTimeout() {
        server.onGet("/late").respond(MockResponse.text("late").withDelay(
                Delay.uniform(Duration.ofMillis(500), Duration.ofMillis(700))));
        assertThatThrownBy(() -> jdk.send(HttpRequest.newBuilder(server.uri("/late")).timeout(Duration.ofMillis(200))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
    }

    // ---- interim responses and trailers ---------------------------------------------------------

    @Test
    void earlyHintsGoOutBeforeTheFinalResponse() throws Exception {
        server.onGet("/page").respond(MockResponse.text("page")
                .withInformational(103, Map.of("Link", "</style.css>; rel=preload; as=style")));
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.get("/page");
            assertThat(raw.readHead()).isEqualTo("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n");
            assertThat(raw.readToEnd()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\npage");
        }
        assertThat(okHttpGet("/page")).isEqualTo("page");
        assertThat(jdkGet("/page").body()).isEqualTo("page");
    }

    @Test
    void earlyHintsAreShownByCurl() throws Exception {
        server.onGet("/page").respond(MockResponse.text("page")
                .withInformational(103, Map.of("Link", "</style.css>; rel=preload")));
        Process curl = new ProcessBuilder("curl", "-s", "-i", server.uri("/page").toString()).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).isZero();
        assertThat(out).startsWith("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n")
                .endsWith("page");
    }

    @Test
    void trailersFollowAChunkedBody() throws Exception {
        server.onGet("/t").respond(MockResponse.text("abcdef").withChunkedBody(4, Duration.ZERO)
                .withTrailer("Checksum", "xyz").withTrailer("Server-Timing", "db;dur=53"));
        try (RawHttp raw = new RawHttp(server.uri())) {
            String all = raw.get("/t").readToEnd();
            assertThat(all).contains("\r\nTrailer: Checksum, Server-Timing\r\n")
                    .endsWith("\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\nChecksum: xyz\r\nServer-Timing: db;dur=53\r\n\r\n");
        }
        try (Response response = okHttp.newCall(new Request.Builder().url(server.uri("/t").toString()).build()).execute()) {
            assertThat(response.body().string()).isEqualTo("abcdef");
            assertThat(response.trailers().get("Checksum")).isEqualTo("xyz");
        }
    }

    // ---- 100 Continue -----------------------------------------------------------------------------

    @Test
    void continueRefusedAnswersBeforeTheBodyAndRecordsTheRequestWithoutIt() throws Exception {
        server.onPost("/upload").respond(MockResponse.status(417).withContinueRefused());
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.send("POST /upload HTTP/1.1\r\nHost: mock\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String head = raw.readHead();
            assertThat(head).startsWith("HTTP/1.1 417 ").contains("\r\nConnection: close\r\n");
        }
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(server.uri("/upload")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(417);
        assertThat(server.requests()).hasSize(2).allSatisfy(q -> {
            assertThat(q.isMatched()).isTrue();
            assertThat(q.body()).isEmpty();
        });
    }

    @Test
    void continueLookupSkipsAStubThatHasAnsweredItsLast() throws Exception {
        server.onPost("/upload").respond(MockResponse.status(417).withContinueRefused());
        server.onPost("/upload").times(1).respond(MockResponse.status(201));
        String expect = "POST /upload HTTP/1.1\r\nHost: mock\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n";
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.send(expect);
            assertThat(raw.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            raw.send("hello");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 201 ");
        }
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.send(expect); // the newer stub is used up: the older one refuses the body
            assertThat(raw.readHead()).startsWith("HTTP/1.1 417 ");
        }
        assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(201, 417);
    }

    @Test
    void continueDelayHoldsThe100BackThenTheBodyIsReadAndAnswered() throws Exception {
        server.onPost("/upload").respond(MockResponse.status(201).withContinueDelay(Duration.ofMillis(400)));
        try (RawHttp raw = new RawHttp(server.uri())) {
            long start = System.nanoTime();
            raw.send("POST /upload HTTP/1.1\r\nHost: mock\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            raw.send("hello");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 201 ");
        }
        assertThat(server.takeRequest().bodyAsString()).isEqualTo("hello");
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(server.uri("/upload")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("again")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(server.takeRequest().bodyAsString()).isEqualTo("again");
    }

    @Test
    void requestWithoutTheExpectationGetsARefusingResponseAsUsualWithItsBody() throws Exception {
        server.onPost("/upload").respond(MockResponse.status(413).withContinueRefused());
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(server.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(server.takeRequest().bodyAsString()).isEqualTo("hello");
    }
}
