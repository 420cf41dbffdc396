package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The faults over HTTP/2 (h2c by prior knowledge, OkHttp): a broken connection becomes a reset of the
 * request's stream, after what the fault lets through, and the connection serves the next request;
 * interim responses and trailers are refused with a clear failure.
 */
@Timeout(30)
class MockResponseFaultsHttp2Test {
    private final MockServer server = MockServer.start();
    private final OkHttpClient okHttp = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();

    @AfterEach
    void stop() {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
        server.close();
    }

    private Response get(String path) throws IOException {
        return okHttp.newCall(new Request.Builder().url(server.uri(path).toString()).build()).execute();
    }

    private void assertTheConnectionGoesOn() throws IOException {
        server.onGet("/fine").respond(MockResponse.text("fine"));
        try (Response response = get("/fine")) {
            assertThat(response.body().string()).isEqualTo("fine");
        }
        assertThat(okHttp.connectionPool().connectionCount()).isEqualTo(1);
    }

    @Test
    void bodyCutResetsTheStreamAfterTheBytesItLetsThrough() throws Exception {
        server.onGet("/short").respond(MockResponse.text("0123456789").withBodyCutAfter(3));
        try (Response response = get("/short")) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.header("Content-Length")).isEqualTo("10");
            assertThat(response.body().source().readUtf8(3)).isEqualTo("012");
            assertThatThrownBy(() -> response.body().source().readUtf8())
                    .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.errorCode).isEqualTo(ErrorCode.INTERNAL_ERROR));
        }
        assertTheConnectionGoesOn();
    }

    @Test
    void connectionFaultsResetTheStreamAfterTheHead() throws Exception {
        server.onGet("/reset").respond(MockResponse.reset());
        server.onGet("/noise").respond(MockResponse.randomBytes(16));
        server.onGet("/half").respond(MockResponse.halfClose());
        server.onGet("/head").respond(MockResponse.text("x").withHeadCutAfter(5));
        server.onGet("/chunk").respond(MockResponse.text("hello").withMalformedChunk());
        for (String path : List.of("/reset", "/noise", "/half", "/head", "/chunk")) {
            assertThatThrownBy(() -> {
                try (Response response = get(path)) {
                    response.body().string();
                }
            }).as(path).isInstanceOf(StreamResetException.class);
        }
        assertTheConnectionGoesOn();
    }

    @Test
    void interimResponsesAndTrailersAreAnswered500AndReportedAsFailures() throws Exception {
        server.onGet("/hints").respond(MockResponse.text("x").withInformational(103, Map.of("Link", "</a>")));
        server.onGet("/trailers").respond(MockResponse.text("x").withTrailer("Checksum", "1"));
        for (String path : List.of("/hints", "/trailers")) {
            try (Response response = get(path)) {
                assertThat(response.code()).isEqualTo(500);
                assertThat(response.body().string()).contains("HTTP/1.1 only").contains("http1Only()");
            }
        }
        assertThat(server.answerFailures()).hasSize(2).allSatisfy(e ->
                assertThat(e).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("over HTTP/2"));
    }

    @Test
    void throttledBodyArrivesWholeWithItsContentLength() throws Exception {
        server.onGet("/drip").respond(MockResponse.text("0123456789").withThrottledBody(3, Duration.ofMillis(20)));
        try (Response response = get("/drip")) {
            assertThat(response.header("Content-Length")).isEqualTo("10");
            assertThat(response.body().string()).isEqualTo("0123456789");
        }
    }

    @Test
    void continueRefusedOverHttpsH2AnswersTheJdkClientBeforeTheBody() throws Exception {
        try (MockServer https = MockServer.builder().https().start();
                HttpClient client = HttpClient.newBuilder().sslContext(https.sslContext()).build()) {
            https.onPost("/upload").respond(MockResponse.status(417).withContinueRefused());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(https.uri("/upload")).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(417);
            assertThat(https.takeRequest().body()).isEmpty();
        }
    }
}
