package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.server.Limits;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Issue 14, defect 3: every request that reached the server and got an answer is in the journal with
 * the status its client got, including those the server refused before the mock's handler saw them;
 * and those refusals count as unmatched. Each is checked right after the client read its response:
 * the journal has it by then.
 */
@Timeout(30)
class RefusedRequestJournalTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void plainGetOnAWebSocketPathIsJournaledAsRefusedWith400() throws Exception {
        server.onWebSocket("/chat");
        assertThat(get("/chat").statusCode()).isEqualTo(400);

        RecordedRequest refused = server.requests().get(0);
        assertThat(refused.toString()).isEqualTo("GET /chat");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.isMatched()).isFalse();
        assertThat(refused.answeredBy()).isEqualTo("refused by the server: 400 Bad Request");
        assertThat(server.unmatchedRequests()).containsExactly(refused);
        assertThat(server.takeRequest()).isSameAs(refused);
    }

    @Test
    void bodyOverTheLimitIsJournaledAsRefusedWith413() throws Exception {
        server.close();
        server = MockServer.builder().configure(s -> s.setLimits(new Limits().setMaxRequestBodySize(10))).start();
        server.onPost("/upload").respond(201);

        String response = RawHttp.exchange(server.uri(), "POST /upload?name=big HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 413 ");
        RecordedRequest refused = server.requests().get(0);
        assertThat(refused.method()).isEqualTo("POST");
        assertThat(refused.path()).isEqualTo("/upload");
        assertThat(refused.queryParameter("name")).isEqualTo("big");
        assertThat(refused.header("Content-Length")).isEqualTo("100");
        assertThat(refused.body()).isEmpty();
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.answeredBy()).isEqualTo("refused by the server: 413 Content Too Large");
        assertThat(refused.isMatched()).isFalse();
    }

    @Test
    void malformedRequestLineIsJournaledAsRefusedWith400() throws Exception {
        String response = RawHttp.exchange(server.uri(), "GE(T /a HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEmpty(); // the server could not read one
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.isMatched()).isFalse();
            assertThat(r.answeredBy()).isEqualTo("refused by the server: 400 Bad Request");
        });
    }

    @Test
    void refusedRequestsFailTheUnmatchedCheckWithWhatAnsweredThem() throws Exception {
        server.onWebSocket("/chat");
        server.onGet("/known").respond(200);
        get("/chat");

        assertThatThrownBy(server::assertNoUnmatchedRequests).isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /chat (refused by the server: 400 Bad Request)")
                .hasMessageContaining("GET /known");
    }

    @Test
    void everyJournaledRequestHasTheStatusItsClientGot() throws Exception {
        server.onGet("/made").respond(201);
        server.onPost("/gone").respond(MockResponse.disconnect()); // a GET the JDK client would send again
        server.onWebSocket("/ws");
        get("/made");
        get("/nothing");
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/gone"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
        client.newWebSocketBuilder().buildAsync(server.webSocketUri("/ws"), new java.net.http.WebSocket.Listener() { })
                .join().abort();
        server.onWebSocket("/ws").awaitConnection();

        assertThat(server.requests()).extracting(RecordedRequest::toString, RecordedRequest::status,
                RecordedRequest::answeredBy).containsExactly(
                        tuple("GET /made", 201, "GET /made"),
                        tuple("GET /nothing", 404, "no stub (404)"),
                        tuple("POST /gone", 0, "POST /gone"),
                        tuple("GET /ws", 101, "websocket /ws"));
    }

    @Test
    void authChallengeIsJournaledAsAnAnswerTheTestSetUp() throws Exception {
        server.close();
        BasicAuthDomain domain = new BasicAuthDomain("mock", (d, msg, user, password) -> "secret".equals(password));
        domain.addPath("/private");
        server = MockServer.builder().configure(s -> s.addAuthDomain(domain)).start();
        server.onGet("/private").respond(200, "text/plain", "in");
        try (HttpClient authenticating = HttpClient.newBuilder().authenticator(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("ada", "secret".toCharArray());
            }
        }).build()) {
            HttpResponse<String> r = authenticating.send(HttpRequest.newBuilder(server.uri("/private")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("in");
        }

        assertThat(server.requests()).extracting(RecordedRequest::status, RecordedRequest::answeredBy).containsExactly(
                tuple(401, "an auth domain's challenge (401)"),
                tuple(200, "GET /private"));
        server.assertNoUnmatchedRequests();
    }

    @Test
    void requestAnsweredByAHandlerTheTestAddedIsJournaledAsMatched() throws Exception {
        server.close();
        server = MockServer.builder().configure(s -> s.addHandler("/own", (srv, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "own handler".getBytes(StandardCharsets.UTF_8));
        })).start();

        assertThat(get("/own").body()).isEqualTo("own handler");

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.isMatched()).isTrue();
            assertThat(r.answeredBy()).startsWith("a handler of the Ladle server");
        });
    }

    // ---- with the extension ---------------------------------------------------------------------

    @ExtendWith(LadleExtension.class)
    static class RefusedRequestFixture {
        @Test
        void swallowsARefusal(MockServer server) throws Exception {
            server.onWebSocket("/chat");
            try (HttpClient c = HttpClient.newHttpClient()) {
                c.send(HttpRequest.newBuilder(server.uri("/chat")).build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Test
    void strictExtensionFailsATestWhoseRequestTheServerRefused() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(RefusedRequestFixture.class)).execute();
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class).hasMessageContaining("GET /chat (refused by the server: 400");
    }
}
