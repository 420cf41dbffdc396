package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MockServer on its own (no extension), driven by the JDK HttpClient, OkHttp and raw sockets. */
@Timeout(30)
class MockServerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stubbedGetIsAnsweredWithItsStatusHeadersAndBody() throws Exception {
        server.onGet("/users/7").respond(MockResponse.status(203).withHeader("X-Trace", "abc")
                .withJsonBody("{\"name\":\"Ada\"}"));
        HttpResponse<String> r = get("/users/7");
        assertThat(r.statusCode()).isEqualTo(203);
        assertThat(r.headers().firstValue("X-Trace")).contains("abc");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"name\":\"Ada\"}");
    }

    @Test
    void uriIsOnTheLoopbackWithAFreePort() {
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive().isEqualTo(server.uri().getPort());
        assertThat(server.uri("/a?b=c")).hasPath("/a").hasQuery("b=c");
        assertThatThrownBy(() -> server.uri("relative")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stubMatchesItsMethodAndExactPathOnly() throws Exception {
        server.onGet("/items").respond(200, "text/plain", "list");
        assertThat(get("/items").statusCode()).isEqualTo(200);
        assertThat(get("/items/1").statusCode()).isEqualTo(404);
        assertThat(post("/items", "text/plain", "x").statusCode()).isEqualTo(404);
    }

    @Test
    void prefixStubMatchesTheWholeSubtree() throws Exception {
        server.onAny("/api/*").respond(204);
        assertThat(get("/api").statusCode()).isEqualTo(204);
        assertThat(get("/api/items/7?x=1").statusCode()).isEqualTo(204);
        assertThat(post("/api/items", "text/plain", "x").statusCode()).isEqualTo(204);
        assertThat(get("/apis").statusCode()).isEqualTo(404);
    }

    @Test
    void newestMatchingStubWinsSoATestCanOverrideASharedOne() throws Exception {
        server.onGet("/flag").respond(200, "text/plain", "old");
        server.onGet("/flag").respond(200, "text/plain", "new");
        assertThat(get("/flag").body()).isEqualTo("new");
    }

    @Test
    void stubWithTimesStopsMatchingAfterItsLimitAndOlderStubsTakeOver() throws Exception {
        server.onGet("/retry").respond(200, "text/plain", "fine");
        Stub flaky = server.onGet("/retry").times(2).respond(503);
        assertThat(get("/retry").statusCode()).isEqualTo(503);
        assertThat(get("/retry").statusCode()).isEqualTo(503);
        assertThat(get("/retry").body()).isEqualTo("fine");
        assertThat(flaky.hits()).isEqualTo(2);
    }

    @Test
    void removedStubNoLongerMatches() throws Exception {
        Stub stub = server.onGet("/gone").respond(200);
        stub.remove();
        assertThat(get("/gone").statusCode()).isEqualTo(404);
        assertThat(server.stubs()).isEmpty();
    }

    @Test
    void headerQueryAndBodyConditionsMustAllHold() throws Exception {
        server.onPost("/search").withHeader("X-Api-Key", "k1").withQueryParameter("page", "2")
                .withBodyContaining("\"term\"").respond(200, "text/plain", "found");
        String url = "/search?page=2";
        HttpRequest.Builder ok = HttpRequest.newBuilder(server.uri(url)).header("X-Api-Key", "k1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"term\":\"x\"}"));
        assertThat(client.send(ok.build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("found");
        HttpRequest wrongKey = HttpRequest.newBuilder(server.uri(url)).header("X-Api-Key", "k2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"term\":\"x\"}")).build();
        assertThat(client.send(wrongKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        HttpRequest wrongPage = HttpRequest.newBuilder(server.uri("/search?page=3")).header("X-Api-Key", "k1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"term\":\"x\"}")).build();
        assertThat(client.send(wrongPage, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        HttpRequest wrongBody = HttpRequest.newBuilder(server.uri(url)).header("X-Api-Key", "k1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(client.send(wrongBody, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void exactBodyConditionComparesTheWholeBody() throws Exception {
        server.onPost("/exact").withBody("a=1").respond(201);
        assertThat(post("/exact", "text/plain", "a=1").statusCode()).isEqualTo(201);
        assertThat(post("/exact", "text/plain", "a=12").statusCode()).isEqualTo(404);
    }

    @Test
    void customConditionSeesTheRecordedRequest() throws Exception {
        server.onGet("/custom").matching("from loopback", r -> r.remoteAddress().toString().contains("127.0.0.1"))
                .respond(200);
        assertThat(get("/custom").statusCode()).isEqualTo(200);
    }

    @Test
    void answerFunctionComputesTheResponseFromTheRequest() throws Exception {
        server.onPost("/echo").respondWith(r -> MockResponse.text(r.method() + " " + r.bodyAsString()));
        assertThat(post("/echo", "text/plain", "hello").body()).isEqualTo("POST hello");
    }

    @Test
    void failingAnswerFunctionGives500AndIsReported() throws Exception {
        server.onGet("/boom").respondWith(r -> {
            throw new IllegalStateException("broken stub");
        });
        HttpResponse<String> r = get("/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("broken stub").doesNotContain("\tat ");
        assertThat(server.answerFailures()).singleElement().extracting(Throwable::getMessage).isEqualTo("broken stub");
    }

    @Test
    void throwingConditionGives500AndIsReported() throws Exception {
        server.onGet("/cond").matching("explodes", r -> {
            throw new IllegalArgumentException("bad predicate");
        }).respond(200);
        assertThat(get("/cond").statusCode()).isEqualTo(500);
        assertThat(server.answerFailures()).singleElement().extracting(Throwable::getMessage).isEqualTo("bad predicate");
        assertThat(server.requests()).singleElement().extracting(RecordedRequest::matchedBy)
                .isEqualTo("GET /cond (explodes)");
    }

    @Test
    void enqueuedResponsesAnswerUnstubbedRequestsOnceEachInOrder() throws Exception {
        server.enqueue(MockResponse.text("first")).enqueue(MockResponse.status(202));
        server.onGet("/stubbed").respond(200, "text/plain", "stub");
        assertThat(get("/stubbed").body()).isEqualTo("stub");
        assertThat(get("/anything").body()).isEqualTo("first");
        assertThat(post("/else", "text/plain", "x").statusCode()).isEqualTo(202);
        assertThat(get("/anything").statusCode()).isEqualTo(404);
        assertThat(server.requests()).extracting(RecordedRequest::matchedBy)
                .containsExactly("GET /stubbed", "queue", "queue", null);
    }

    @Test
    void unmatchedRequestGets404ListingTheStubsAndIsReported() throws Exception {
        server.onGet("/known").respond(200);
        HttpResponse<String> r = get("/unknown?q=1");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no stub matches GET /unknown?q=1").contains("GET /known");
        assertThat(server.unmatchedRequests()).singleElement().hasToString("GET /unknown?q=1");
        assertThatThrownBy(server::assertNoUnmatchedRequests).isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /unknown?q=1").hasMessageContaining("GET /known");
    }

    @Test
    void requestIsRecordedBeforeItsResponseIsWritten() throws Exception {
        server.onGet("/a").respond(200);
        for (int i = 0; i < 20; i++) {
            get("/a");
            assertThat(server.requestCount()).isEqualTo(i + 1);
        }
    }

    @Test
    void recordedRequestHoldsMethodPathQueryHeadersAndBody() throws Exception {
        server.onPost("/forms").respond(200);
        HttpRequest request = HttpRequest.newBuilder(server.uri("/forms?name=J%C3%BCrgen&x=1"))
                .header("X-One", "1").header("X-Many", "a").header("X-Many", "b")
                .header("Content-Type", "text/plain; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("grüße", StandardCharsets.ISO_8859_1)).build();
        client.send(request, HttpResponse.BodyHandlers.discarding());
        RecordedRequest r = server.takeRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/forms");
        assertThat(r.queryParameter("name")).isEqualTo("Jürgen");
        assertThat(r.query()).containsEntry("x", "1");
        assertThat(r.header("x-one")).isEqualTo("1");
        assertThat(r.headers("X-MANY")).containsExactly("a", "b");
        assertThat(r.body()).hasSize(5);
        assertThat(r.bodyAsString()).isEqualTo("grüße");
        assertThat(r.sequenceNumber()).isZero();
        assertThat(r.uri().getPort()).isEqualTo(server.port());
    }

    @Test
    void takeRequestReturnsRequestsInArrivalOrderOncePerRequest() throws Exception {
        server.onAny("/*").respond(200);
        get("/one");
        get("/two");
        assertThat(server.takeRequest().path()).isEqualTo("/one");
        assertThat(server.takeRequest().path()).isEqualTo("/two");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void takeRequestWaitsForARequestStillUnderWay() throws Exception {
        server.onGet("/late").respond(200);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
                get("/late");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(server.takeRequest(Duration.ofSeconds(10)).path()).isEqualTo("/late");
    }

    @Test
    void takeRequestFailsWithAnAssertionErrorWhenNothingArrives() {
        assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no request arrived within PT0.1S")
                .hasMessageContaining("no requests were received");
    }

    @Test
    void verifyCountsMatchingRequestsAndListsTheJournalWhenWrong() throws Exception {
        server.onAny("/*").respond(200);
        get("/a");
        get("/a");
        post("/b", "text/plain", "x");
        server.verify(2, "GET", "/a");
        server.verify(1, null, "/b");
        server.verify(3, null, "/*");
        server.verify(0, "DELETE", "/a");
        assertThatThrownBy(() -> server.verify(1, "GET", "/a")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected exactly 1 × GET /a but 2 requests matched: [GET /a, GET /a]; 3 received")
                .hasMessageContaining("#2 POST /b");
    }

    @Test
    void delayedResponseTripsAClientTimeout() throws Exception {
        server.onGet("/slow").respond(MockResponse.text("late").withDelay(Duration.ofSeconds(2)));
        HttpRequest request = HttpRequest.newBuilder(server.uri("/slow")).timeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void chunkedBodyGoesOutAsChunksOfTheGivenSize() throws Exception {
        server.onGet("/stream").respond(MockResponse.text("abcdefghij").withChunkedBody(4, Duration.ofMillis(20)));
        String raw = RawHttp.exchange(server.uri(), "GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("Transfer-Encoding: chunked\r\n")
                .doesNotContainIgnoringCase("Content-Length")
                .endsWith("\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n");
    }

    @Test
    void chunkedBodyIsReadWholeByARealClient() throws Exception {
        server.onGet("/stream").respond(MockResponse.text("x".repeat(10_000)).withChunkedBody(1000, Duration.ZERO));
        assertThat(get("/stream").body()).hasSize(10_000);
    }

    @Test
    void disconnectDropsTheConnectionWithoutAnAnswer() throws Exception {
        server.onGet("/drop").respond(MockResponse.disconnect());
        assertThat(RawHttp.exchange(server.uri(), "GET /drop HTTP/1.1\r\nHost: x\r\n\r\n")).isEmpty();
        assertThatThrownBy(() -> get("/drop")).isInstanceOf(IOException.class);
        assertThat(server.requests()).allMatch(RecordedRequest::isMatched);
    }

    @Test
    void headRequestGetsHeadersWithoutTheBody() throws Exception {
        server.on("HEAD", "/h").respond(MockResponse.text("12345"));
        String raw = RawHttp.exchange(server.uri(), "HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(raw).contains("Content-Length: 5\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void concurrentRequestsAreAllAnsweredAndRecorded() throws Exception {
        server.onGet("/c").respond(MockResponse.text("ok").withDelay(Duration.ofMillis(100)));
        int n = 50;
        CountDownLatch done = new CountDownLatch(n);
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    statuses.add(get("/c").statusCode());
                } catch (Exception e) {
                    statuses.add(-1);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(statuses).hasSize(n).containsOnly(200);
        assertThat(server.requests()).extracting(RecordedRequest::sequenceNumber).doesNotHaveDuplicates().hasSize(n);
    }

    @Test
    void resetForgetsStubsQueueAndJournalButKeepsThePort() throws Exception {
        int port = server.port();
        server.onGet("/a").respond(200);
        server.enqueue(MockResponse.text("q"));
        get("/a");
        server.reset();
        assertThat(server.stubs()).isEmpty();
        assertThat(server.requests()).isEmpty();
        assertThat(get("/b").statusCode()).isEqualTo(404);
        assertThat(server.port()).isEqualTo(port);
        assertThat(server.takeRequest().path()).isEqualTo("/b");
    }

    @Test
    void closedServerRefusesConnections() throws IOException {
        URI uri = server.uri("/");
        server.close();
        Ports.assertNothingListens(uri);
    }

    @Test
    void configureReachesTheUnderlyingServer() throws Exception {
        try (MockServer configured = MockServer.builder().configure(s -> s.setServerHeader("mock/1.0")).start()) {
            configured.onGet("/").respond(200);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(configured.uri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Server")).contains("mock/1.0");
        }
    }

    @Test
    void httpsWithTheBuiltInCertificateServesAClientUsingTheServersSslContext() throws Exception {
        try (MockServer https = MockServer.builder().https().start();
                HttpClient trusting = HttpClient.newBuilder().sslContext(https.sslContext()).build()) {
            https.onGet("/secure").respond(200, "text/plain", "sealed");
            assertThat(https.uri().getScheme()).isEqualTo("https");
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(https.uri("/secure")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("sealed");
            // a client with the default trust store refuses the self-signed certificate
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(https.uri("/secure")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void sslContextOfAPlainServerExplainsWhatIsMissing() {
        assertThatThrownBy(server::sslContext).isInstanceOf(IllegalStateException.class).hasMessageContaining("https()");
    }

    @Test
    void httpsServerAnswersATrustingClient(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path cert = dir.resolve("cert.pem");
        java.nio.file.Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(openssl.waitFor()).isZero();

        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(cert)) {
            trust.setCertificateEntry("mock", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        try (MockServer https = MockServer.builder().https(dev.ladle.tls.TlsCertificate.fromPemFiles(cert, key)).start();
                HttpClient trusting = HttpClient.newBuilder().sslContext(tls).build()) {
            https.onGet("/secure").respond(200, "text/plain", "sealed");
            assertThat(https.uri().getScheme()).isEqualTo("https");
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(https.uri("/secure")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("sealed");
        }
    }

    @Test
    void okHttpClientPostsJsonAndReadsTheStub() throws Exception {
        server.onPost("/items").withHeader("Content-Type", "application/json; charset=utf-8")
                .respond(MockResponse.status(201).withHeader("Location", "/items/9").withJsonBody("{\"id\":9}"));
        OkHttpClient ok = new OkHttpClient();
        Request request = new Request.Builder().url(server.uri("/items").toString())
                .post(RequestBody.create("{\"name\":\"pan\"}", MediaType.get("application/json; charset=utf-8")))
                .build();
        try (Response response = ok.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(201);
            assertThat(response.header("Location")).isEqualTo("/items/9");
            assertThat(response.body().string()).isEqualTo("{\"id\":9}");
        } finally {
            ok.dispatcher().executorService().shutdown();
            ok.connectionPool().evictAll();
        }
        assertThat(server.takeRequest().bodyAsString()).isEqualTo("{\"name\":\"pan\"}");
    }

    @Test
    void mockResponseRejectsNonsense() {
        assertThatThrownBy(() -> MockResponse.status(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100");
        assertThatThrownBy(() -> MockResponse.text("x").withDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockResponse.text("x").withChunkedBody(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.onGet("no-slash")).isInstanceOf(IllegalArgumentException.class);
        Stubbing stubbing = server.onGet("/x");
        assertThatThrownBy(() -> stubbing.times(0)).isInstanceOf(IllegalArgumentException.class);
        stubbing.respond(200); // an unfinished stubbing would fail close()
    }

    @Test
    void mockResponseIsImmutable() {
        MockResponse base = MockResponse.text("a");
        MockResponse changed = base.withHeader("X", "1").withBody("text/html", "b");
        assertThat(base.headers()).extracting(h -> h.getKey()).containsExactly("Content-Type");
        assertThat(changed.headers()).extracting(h -> h.getValue()).containsExactly("1", "text/html");
        assertThat(new String(base.body(), StandardCharsets.UTF_8)).isEqualTo("a");
    }
}
