package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxying unmatched requests to a real server (here another mock server, whose journal shows what
 * arrived), recording the exchanges as stubs, and replaying them from saved mapping files without it.
 */
@Timeout(30)
class RecordReplayTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MockServer real = MockServer.start();
    private final MockServer mock = MockServer.start();
    private final List<MockServer> more = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        mock.close();
        real.close();
        more.forEach(MockServer::close);
        client.close();
    }

    private HttpResponse<String> get(MockServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(MockServer server, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- proxy ---------------------------------------------------------------------------------

    @Test
    void anUnmatchedRequestGetsTheRealAnswerWithHopByHopHeadersDroppedAndHostRewritten() throws Exception {
        real.onPost("/echo").respondWith(r -> MockResponse.status(202).withHeader("X-Real", "yes")
                .withBody("text/plain", "got " + r.bodyAsString()));
        mock.proxyUnmatchedTo(real.uri());
        String answer;
        try (RawHttp http = new RawHttp(mock.uri())) {
            answer = http.send("POST /echo?x=1 HTTP/1.1\r\nHost: mock.example\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nX-Kept: 2\r\nContent-Length: 5\r\n\r\nhello").readToEnd();
        }
        assertThat(answer).startsWith("HTTP/1.1 202").containsIgnoringCase("X-Real: yes").endsWith("got hello");
        assertThat(answer.toLowerCase(Locale.ROOT)).as("the mock server's own Server header, not the real one's too")
                .containsOnlyOnce("server: ");
        RecordedRequest arrived = real.takeRequest();
        assertThat(arrived.toString()).isEqualTo("POST /echo?x=1");
        assertThat(arrived.header("Host")).isEqualTo(real.uri().getAuthority());
        assertThat(arrived.header("X-Kept")).isEqualTo("2");
        assertThat(arrived.headers("X-Hop")).isEmpty();
        assertThat(arrived.headers("Keep-Alive")).isEmpty();
        assertThat(arrived.headers("TE")).isEmpty();
        RecordedRequest journaled = mock.takeRequest();
        assertThat(journaled.status()).isEqualTo(202);
        assertThat(journaled.matchedBy()).isEqualTo("proxy to " + real.uri());
        mock.assertNoUnmatchedRequests();
    }

    @Test
    void stubsAndQueuedResponsesAnswerBeforeTheProxy() throws Exception {
        real.onGet("/*").respond(MockResponse.text("real"));
        mock.proxyUnmatchedTo(real.uri());
        mock.onGet("/local").respond(MockResponse.text("stub"));
        mock.enqueue(MockResponse.text("queued"));
        assertThat(get(mock, "/local").body()).isEqualTo("stub");
        assertThat(get(mock, "/other").body()).isEqualTo("queued");
        assertThat(get(mock, "/other").body()).isEqualTo("real");
        assertThat(real.requests()).singleElement().hasToString("GET /other");
    }

    @Test
    void aTargetWithABasePathPrefixesEveryForwardedPath() throws Exception {
        real.onGet("/api/v2/users").respond(MockResponse.text("users"));
        mock.proxyUnmatchedTo(URI.create(real.uri() + "api/v2/"));
        assertThat(get(mock, "/users").body()).isEqualTo("users");
    }

    @Test
    void redirectsComeBackAsTheyAreAndAreNotFollowed() throws Exception {
        real.onGet("/old").respond(MockResponse.status(301).withHeader("Location", "/new"));
        mock.proxyUnmatchedTo(real.uri());
        HttpResponse<String> r = get(mock, "/old");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/new");
        assertThat(real.requests()).hasSize(1);
    }

    @Test
    void whenTheRealServerIsDownTheClientGets502AndTheRequestCountsAsUnmatched() throws Exception {
        URI gone = real.uri();
        real.close();
        mock.proxyUnmatchedTo(gone);
        HttpResponse<String> r = get(mock, "/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("the proxy to " + gone + " failed");
        assertThat(mock.unmatchedRequests()).singleElement().satisfies(u ->
                assertThat(u.answeredBy()).isEqualTo("no stub, and the proxy to " + gone + " failed (502)"));
    }

    @Test
    void proxyingStopsWithNullAndRefusesATargetThatIsNotHttp() throws Exception {
        mock.proxyUnmatchedTo(real.uri());
        mock.proxyUnmatchedTo(null);
        assertThat(get(mock, "/x").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> mock.proxyUnmatchedTo(URI.create("ftp://host/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockServer.builder().proxyUnmatchedTo(URI.create("http://host/?q=1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an optional base path");
    }

    @Test
    void theBuilderStartsAServerThatProxies() throws Exception {
        real.onGet("/hello").respond(MockResponse.text("hi"));
        MockServer proxying = MockServer.builder().proxyUnmatchedTo(real.uri()).start();
        more.add(proxying);
        assertThat(get(proxying, "/hello").body()).isEqualTo("hi");
    }

    // ---- record and replay --------------------------------------------------------------------

    @Test
    void recordingMakesAStubPerDistinctRequestThatReplaysWithoutTheRealServer() throws Exception {
        real.onGet("/users/1").respond(MockResponse.json("{\"id\":1}").withHeader("ETag", "\"v1\""));
        real.onGet("/users").withQueryParameter("page", "2").respond(MockResponse.json("[]"));
        real.onPost("/users").respondWith(r -> MockResponse.status(201).withHeader("Location", "/users/2")
                .withBody("application/json", r.bodyAsString()));
        mock.startRecording(real.uri());
        HttpResponse<String> user = get(mock, "/users/1");
        get(mock, "/users/1");
        HttpResponse<String> page = get(mock, "/users?page=2");
        HttpResponse<String> created = postJson(mock, "/users", "{\"name\":\"Ada\",\"tags\":[\"a\"]}");
        List<Stub> recorded = mock.stopRecording();

        assertThat(recorded).extracting(Stub::description).containsExactly(
                "GET path equal to \"/users/1\" (url equal to \"/users/1\")",
                "GET path equal to \"/users\" (url equal to \"/users?page=2\")",
                "POST path equal to \"/users\" (url equal to \"/users\", body JSON-equal to \"{\"name\":\"Ada\",\"tags\":[\"a\"]}\")");
        assertThat(recorded.get(2).toMappingJson()).contains("\"equalToJson\": {").contains("\"location\": \"/users/2\"").doesNotContain("server");
        assertThat(real.requests()).hasSize(4);

        mock.saveMappings(dir);
        real.close();
        MockServer replay = MockServer.start();
        more.add(replay);
        replay.loadMappings(dir);
        HttpResponse<String> user2 = get(replay, "/users/1");
        assertThat(user2.statusCode()).isEqualTo(user.statusCode());
        assertThat(user2.body()).isEqualTo(user.body()).isEqualTo("{\"id\":1}");
        assertThat(user2.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(user2.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get(replay, "/users?page=2").body()).isEqualTo(page.body());
        HttpResponse<String> created2 = postJson(replay, "/users", "{\"tags\":[\"a\"],\"name\":\"Ada\"}");
        assertThat(created2.statusCode()).isEqualTo(created.statusCode()).isEqualTo(201);
        assertThat(created2.headers().firstValue("Location")).hasValue("/users/2");
        assertThat(postJson(replay, "/users", "{\"name\":\"Bob\"}").statusCode()).isEqualTo(404);
        assertThat(get(replay, "/users?page=3").statusCode()).isEqualTo(404);
    }

    @Test
    void aRequestWhoseAnswersChangedReplaysThemInOrderThenRepeatsTheLast() throws Exception {
        real.onGet("/job").respondInSequence(MockResponse.text("queued"), MockResponse.text("running"), MockResponse.text("done"));
        mock.startRecording(real.uri());
        for (int i = 0; i < 3; i++) {
            get(mock, "/job");
        }
        List<Stub> recorded = mock.stopRecording();
        assertThat(recorded).hasSize(3);
        assertThat(recorded.get(0).toMappingJson()).contains("\"requiredScenarioState\": \"Started\"")
                .contains("\"newScenarioState\": \"2\"");
        mock.saveMappings(dir);

        MockServer replay = MockServer.start();
        more.add(replay);
        replay.loadMappings(dir);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(get(replay, "/job").body());
        }
        assertThat(bodies).containsExactly("queued", "running", "done", "done");
    }

    @Test
    void binaryAnswersAreRecordedAsBase64() throws Exception {
        byte[] bytes = {(byte) 0xc3, 0x28, 0, 7};
        real.onGet("/blob").respond(MockResponse.status(200).withBody("application/octet-stream", bytes));
        mock.startRecording(real.uri());
        get(mock, "/blob");
        Stub stub = mock.stopRecording().get(0);
        assertThat(stub.toMappingJson()).contains("\"base64Body\": \"wygABw==\"");
        real.close();
        HttpResponse<byte[]> replayed = client.send(HttpRequest.newBuilder(mock.uri("/blob")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(replayed.body()).containsExactly(bytes);
    }

    @Test
    void afterRecordingUnmatchedRequestsGoWhereTheyWentBefore() throws Exception {
        MockServer other = MockServer.start();
        more.add(other);
        other.onGet("/x").respond(MockResponse.text("other"));
        real.onGet("/x").respond(MockResponse.text("real"));
        mock.proxyUnmatchedTo(other.uri());
        mock.startRecording(real.uri());
        assertThat(get(mock, "/x").body()).isEqualTo("real");
        assertThatThrownBy(() -> mock.proxyUnmatchedTo(other.uri())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopRecording");
        assertThatThrownBy(() -> mock.startRecording(real.uri())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already recording");
        mock.stopRecording().forEach(Stub::remove);
        assertThat(get(mock, "/x").body()).isEqualTo("other");
        assertThatThrownBy(mock::stopRecording).isInstanceOf(IllegalStateException.class).hasMessageContaining("not recording");
    }
}
