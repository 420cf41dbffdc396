package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 defect 1: closing a mock server ends every answer still waiting (delays, stalls, bodies
 * dribbled out) at once, instead of waiting them out or the server's shutdown timeout. The bound of two
 * seconds is generous on purpose: before the fix these took 11 seconds, and 60 without the timeout.
 */
@Timeout(30)
class MockServerTeardownTest {
    private static final Duration PROMPT = Duration.ofSeconds(2);

    private static Duration timeClose(MockServer server) {
        long start = System.nanoTime();
        server.close();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void closeReturnsAtOnceWhileADelayedAnswerAndAStallAreUnderWay() throws Exception {
        MockServer server = MockServer.start();
        server.onGet("/slow").respond(MockResponse.text("late").withDelay(Duration.ofSeconds(60)));
        server.onGet("/stall").respond(MockResponse.stall());
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> stall = client.sendAsync(
                    HttpRequest.newBuilder(server.uri("/stall")).build(), HttpResponse.BodyHandlers.ofString());
            server.takeRequest();
            server.takeRequest();

            assertThat(timeClose(server)).isLessThan(PROMPT);
            // the clients hear of it: their connections end without an answer
            assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IOException.class);
            assertThatThrownBy(() -> stall.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void closeDoesNotWaitOutTheDelayOfAClientThatGaveUp() {
        MockServer server = MockServer.start();
        server.onGet("/slow").respond(MockResponse.text("late").withDelay(Duration.ofSeconds(60)));
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/slow"))
                    .timeout(Duration.ofMillis(200)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        }
        assertThat(timeClose(server)).isLessThan(PROMPT);
    }

    @Test
    void closeCutsABodyBeingDribbledOut() throws Exception {
        MockServer server = MockServer.start();
        server.onGet("/drip").respond(MockResponse.text("abc").withThrottledBody(1, Duration.ofSeconds(60)));
        OkHttpClient okHttp = new OkHttpClient.Builder().build();
        try (Response response = okHttp.newCall(new Request.Builder().url(server.uri("/drip").toString()).build()).execute()) {
            assertThat(response.header("Content-Length")).isEqualTo("3");
            assertThat(response.body().source().readUtf8(1)).isEqualTo("a");
            assertThat(timeClose(server)).isLessThan(PROMPT);
            assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
        } finally {
            okHttp.connectionPool().evictAll();
        }
    }

    @Test
    void closeEndsA100ContinueHeldBack() throws Exception {
        CountDownLatch headRead = new CountDownLatch(1);
        MockServer server = MockServer.builder()
                .configure(s -> s.onRequestStarted(msg -> msg.onGotHeaders(headRead::countDown))).start();
        server.onPost("/upload").respond(MockResponse.status(201).withContinueDelay(Duration.ofSeconds(60)));
        try (RawHttp raw = new RawHttp(server.uri())) {
            raw.send("POST /upload HTTP/1.1\r\nHost: mock\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(headRead.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(timeClose(server)).isLessThan(PROMPT);
            assertThat(raw.readToEnd()).doesNotContain("100 Continue");
        }
    }

    @Test
    void closeEndsDelaysAndStallsOnHttp2StreamsToo() throws Exception {
        MockServer server = MockServer.start();
        server.onGet("/slow").respond(MockResponse.text("late").withDelay(Duration.ofSeconds(60)));
        server.onGet("/stall").respond(MockResponse.stall());
        OkHttpClient okHttp = new OkHttpClient.Builder().protocols(java.util.List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try {
            CompletableFuture<String> slow = fetch(okHttp, server, "/slow");
            CompletableFuture<String> stall = fetch(okHttp, server, "/stall");
            server.takeRequest();
            server.takeRequest();
            assertThat(timeClose(server)).isLessThan(PROMPT);
            assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> stall.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            okHttp.connectionPool().evictAll();
            okHttp.dispatcher().executorService().shutdown();
        }
    }

    /** Fetches {@code path} on a thread of its own (the common pool may have a single one). */
    private static CompletableFuture<String> fetch(OkHttpClient client, MockServer server, String path) {
        CompletableFuture<String> body = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Response response = client.newCall(new Request.Builder().url(server.uri(path).toString()).build()).execute()) {
                body.complete(response.body().string());
            } catch (IOException | RuntimeException e) {
                body.completeExceptionally(e);
            }
        });
        return body;
    }
}
