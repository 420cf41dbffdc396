package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** WireMock's admin API under {@code /__admin/}, driven over HTTP as a test in another language would. */
@Timeout(30)
class AdminApiTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @TempDir
    Path dir;
    private MockServer server;

    @BeforeEach
    void start() throws Exception {
        MappingFilesTest.write(dir.resolve("mappings/hello.json"), """
            {"id": "hello", "request": {"method": "GET", "url": "/hello"}, "response": {"body": "hello from a file"}}""");
        server = MockServer.builder().mappings(dir).adminApi().start();
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject json(String method, String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(expectedStatus);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return (JsonObject) Json.parse(r.body());
    }

    private static JsonArray array(JsonObject o, String name) {
        return (JsonArray) o.get(name);
    }

    @Test
    void theMappingsLoadedAtStartAreListedAndAnswer() throws Exception {
        JsonObject list = json("GET", "/__admin/mappings", null, 200);
        assertThat(array(list, "mappings").elements()).singleElement()
                .satisfies(m -> assertThat(((JsonObject) m).get("id")).hasToString("\"hello\""));
        assertThat(list.get("meta")).hasToString("{\"total\":1}");
        assertThat(call("GET", "/hello", null).body()).isEqualTo("hello from a file");
    }

    @Test
    void aPostedMappingGetsAnIdAndAnswersAndABadOneIsRefusedNamingTheField() throws Exception {
        JsonObject added = json("POST", "/__admin/mappings",
                "{\"request\": {\"method\": \"POST\", \"url\": \"/items\"}, \"response\": {\"status\": 201}}", 201);
        assertThat(added.get("id")).isNotNull();
        assertThat(call("POST", "/items", "x").statusCode()).isEqualTo(201);
        assertThat(array(json("GET", "/__admin/mappings", null, 200), "mappings").size()).isEqualTo(2);

        JsonObject refused = json("POST", "/__admin/mappings",
                "{\"request\": {\"url\": \"/x\", \"headers\": {\"A\": {\"hasExactly\": []}}}, \"response\": {}}", 422);
        assertThat(refused.toString()).contains("mapping: request.headers.A.hasExactly is not supported");
    }

    @Test
    void oneMappingIsReadAndRemovedByItsId() throws Exception {
        assertThat(json("GET", "/__admin/mappings/hello", null, 200).get("request").toString()).contains("/hello");
        json("DELETE", "/__admin/mappings/hello", null, 200);
        assertThat(call("GET", "/hello", null).statusCode()).isEqualTo(404);
        assertThat(json("GET", "/__admin/mappings/hello", null, 404).toString()).contains("no mapping with id hello");
    }

    @Test
    void deletingTheMappingsRemovesEveryStubAndResettingThemReadsTheFilesAgain() throws Exception {
        json("POST", "/__admin/mappings", "{\"request\": {\"url\": \"/extra\"}, \"response\": {}}", 201);
        json("DELETE", "/__admin/mappings", null, 200);
        assertThat(call("GET", "/hello", null).statusCode()).isEqualTo(404);

        Files.writeString(dir.resolve("mappings/hello.json"),
                "{\"id\": \"hello\", \"request\": {\"url\": \"/hello\"}, \"response\": {\"body\": \"edited\"}}");
        json("POST", "/__admin/mappings/reset", null, 200);
        assertThat(call("GET", "/hello", null).body()).isEqualTo("edited");
        assertThat(call("GET", "/extra", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theJournalListsRequestsNewestFirstWithoutTheAdminRequestsAndCanBeCleared() throws Exception {
        client.send(HttpRequest.newBuilder(server.uri("/hello")).header("X-Test", "a").build(), HttpResponse.BodyHandlers.ofString());
        call("GET", "/hello?x=1", null);
        call("POST", "/nothing", "body text");
        JsonObject journal = json("GET", "/__admin/requests", null, 200);
        assertThat(journal.get("meta")).hasToString("{\"total\":3}");
        JsonObject newest = (JsonObject) array(journal, "requests").get(0);
        JsonObject request = (JsonObject) newest.get("request");
        assertThat(request.get("method")).hasToString("\"POST\"");
        assertThat(request.get("url")).hasToString("\"/nothing\"");
        assertThat(request.get("body")).hasToString("\"body text\"");
        assertThat(newest.get("responseDefinition")).hasToString("{\"status\":404}");
        assertThat(newest.get("wasMatched")).hasToString("false");
        assertThat(newest.get("answeredBy")).hasToString("\"no stub (404)\"");
        JsonObject middle = (JsonObject) array(journal, "requests").get(1);
        assertThat(((JsonObject) middle.get("request")).get("url")).hasToString("\"/hello?x=1\"");
        JsonObject oldest = (JsonObject) array(journal, "requests").get(2);
        assertThat(((JsonObject) oldest.get("request")).get("url")).hasToString("\"/hello\"");
        assertThat(((JsonObject) ((JsonObject) oldest.get("request")).get("headers")).get("X-Test")).hasToString("\"a\"");
        assertThat(oldest.get("wasMatched")).hasToString("true");

        json("DELETE", "/__admin/requests", null, 200);
        assertThat(array(json("GET", "/__admin/requests", null, 200), "requests").elements()).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void scenariosAreListedWithTheirStatesAndReset() throws Exception {
        json("POST", "/__admin/mappings", """
            {"scenarioName": "door", "newScenarioState": "open", "request": {"method": "POST", "url": "/door"}, "response": {}}""", 201);
        call("POST", "/door", "");
        JsonValue scenario = array(json("GET", "/__admin/scenarios", null, 200), "scenarios").get(0);
        assertThat(scenario).hasToString("{\"id\":\"door\",\"name\":\"door\",\"state\":\"open\",\"possibleStates\":[\"Started\",\"open\"]}");
        json("POST", "/__admin/scenarios/reset", null, 200);
        assertThat(server.scenarioState("door")).isEqualTo(MockServer.SCENARIO_STARTED);
    }

    @Test
    void resetForgetsStubsJournalAndScenariosAndReadsTheFilesAgain() throws Exception {
        json("POST", "/__admin/mappings", "{\"request\": {\"url\": \"/extra\"}, \"response\": {}}", 201);
        call("GET", "/extra", null);
        server.setScenarioState("s", "moved");
        json("POST", "/__admin/reset", null, 200);
        assertThat(server.requests()).isEmpty();
        assertThat(server.scenarioState("s")).isEqualTo(MockServer.SCENARIO_STARTED);
        assertThat(call("GET", "/extra", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/hello", null).body()).isEqualTo("hello from a file");
    }

    @Test
    void recordingIsStartedAndStoppedThroughTheApi() throws Exception {
        try (MockServer real = MockServer.start()) {
            real.onGet("/real").respond(MockResponse.text("the real answer"));
            json("POST", "/__admin/recordings/start", "{\"targetBaseUrl\": \"" + real.uri() + "\"}", 200);
            assertThat(call("GET", "/real", null).body()).isEqualTo("the real answer");
            JsonObject stopped = json("POST", "/__admin/recordings/stop", null, 200);
            assertThat(array(stopped, "mappings").elements()).singleElement().asString().contains("\"url\":\"/real\"");
        }
        assertThat(call("GET", "/real", null).body()).isEqualTo("the real answer");
        assertThat(json("POST", "/__admin/recordings/stop", null, 409).toString()).contains("not recording");
    }

    @Test
    void anUnknownEndpointIs404AndAnotherMethod405() throws Exception {
        assertThat(json("GET", "/__admin/nothing", null, 404).toString()).contains("no admin endpoint /__admin/nothing");
        assertThat(json("PUT", "/__admin/requests", null, 405).toString()).contains("PUT is not allowed on /__admin/requests");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anAdminRequestThatExpects100ContinueIsNotLookedUpAmongTheStubs() throws Exception {
        server.onAny("/*").respond(MockResponse.status(417).withContinueRefused());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/__admin/mappings")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("{\"request\": {\"url\": \"/c\"}, \"response\": {}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
    }
}
