package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sequences of responses and named scenarios, over real requests. */
@Timeout(30)
class StateTest {
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

    private HttpResponse<String> post(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sequenceAnswersInTurnThenRepeatsTheLast() throws Exception {
        server.onGet("/job").respondInSequence(MockResponse.text("queued"), MockResponse.text("running"),
                MockResponse.text("done"));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add(get("/job").body());
        }
        assertThat(bodies).containsExactly("queued", "running", "done", "done", "done");
    }

    @Test
    void sequenceThatStopsMatchingFallsThroughToOlderStubs() throws Exception {
        server.onGet("/flaky").respond(200, "text/plain", "fallback");
        server.onGet("/flaky").respondInSequence(Stubbing.AfterLast.STOP_MATCHING,
                MockResponse.status(503), MockResponse.status(503));
        assertThat(get("/flaky").statusCode()).isEqualTo(503);
        assertThat(get("/flaky").statusCode()).isEqualTo(503);
        assertThat(get("/flaky").body()).isEqualTo("fallback");
    }

    @Test
    void sequenceThatFailsAnswers500AndReportsTheExtraRequest() throws Exception {
        server.onPost("/charge").respondInSequence(Stubbing.AfterLast.FAIL, MockResponse.status(201));
        assertThat(post("/charge").statusCode()).isEqualTo(201);
        assertThat(post("/charge").statusCode()).isEqualTo(500);
        assertThat(server.answerFailures()).singleElement().asString()
                .contains("the sequence of 1 responses of POST /charge is used up: request 2 came");
    }

    @Test
    void sequenceHandsEachResponseOutOnceUnderConcurrentRequests() throws Exception {
        MockResponse[] responses = new MockResponse[20];
        for (int i = 0; i < responses.length; i++) {
            responses[i] = MockResponse.text(Integer.toString(i));
        }
        server.onGet("/n").respondInSequence(Stubbing.AfterLast.STOP_MATCHING, responses);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> get("/n").body());
        }
        List<String> bodies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<String> f : pool.invokeAll(calls)) {
                bodies.add(f.get());
            }
        }
        assertThat(bodies).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void scenarioMovesFromStateToStateAsStubsAnswer() throws Exception {
        server.onGet("/order").inScenario("checkout").whenState(MockServer.SCENARIO_STARTED)
                .respond(MockResponse.json("{\"paid\":false}"));
        server.onPost("/pay").inScenario("checkout").whenState(MockServer.SCENARIO_STARTED).willSetStateTo("paid")
                .respond(204);
        server.onGet("/order").inScenario("checkout").whenState("paid").respond(MockResponse.json("{\"paid\":true}"));
        assertThat(get("/order").body()).isEqualTo("{\"paid\":false}");
        assertThat(server.scenarioState("checkout")).isEqualTo("Started");
        assertThat(post("/pay").statusCode()).isEqualTo(204);
        assertThat(server.scenarioState("checkout")).isEqualTo("paid");
        assertThat(get("/order").body()).isEqualTo("{\"paid\":true}");
        // paying twice is not stubbed in state "paid"
        HttpResponse<String> again = post("/pay");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("scenario checkout in state \"Started\": was in \"paid\"");
    }

    @Test
    void scenarioStateCanBeSetByTheTestAndIsResetWithTheServer() throws Exception {
        server.onGet("/s").inScenario("flow").whenState("two").respond(200);
        assertThat(get("/s").statusCode()).isEqualTo(404);
        server.setScenarioState("flow", "two");
        assertThat(get("/s").statusCode()).isEqualTo(200);
        server.reset();
        assertThat(server.scenarioState("flow")).isEqualTo(MockServer.SCENARIO_STARTED);
    }

    @Test
    void stateConditionsWithoutAScenarioAreRefused() {
        assertThatThrownBy(() -> server.onGet("/x").whenState("a").respond(200))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need inScenario first");
        assertThatThrownBy(() -> server.onGet("/x").respondInSequence())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
