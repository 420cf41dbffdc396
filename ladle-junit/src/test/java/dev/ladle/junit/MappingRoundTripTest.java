package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.junit.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Mappings loaded, saved and loaded again behave as they did, file for file. */
@Timeout(30)
class MappingRoundTripTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<MockServer> servers = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(MockServer::close);
        client.close();
    }

    private MockServer start() {
        MockServer server = MockServer.start();
        servers.add(server);
        return server;
    }

    /** Every request of the scenario below, in order, answered as {@code status body [Set-Cookie...]}. */
    private List<String> answers(MockServer server) throws Exception {
        List<HttpRequest> requests = List.of(
                HttpRequest.newBuilder(server.uri("/users/7")).header("Accept", "application/json").build(),
                HttpRequest.newBuilder(server.uri("/users/7")).header("Accept", "text/html").build(),
                HttpRequest.newBuilder(server.uri("/search?q=ada&page=1")).build(),
                HttpRequest.newBuilder(server.uri("/orders")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[2,1],\"note\":\"x\"}")).build(),
                HttpRequest.newBuilder(server.uri("/orders")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[3]}")).build(),
                HttpRequest.newBuilder(server.uri("/cart")).build(),
                HttpRequest.newBuilder(server.uri("/cart")).POST(HttpRequest.BodyPublishers.ofString("add")).build(),
                HttpRequest.newBuilder(server.uri("/cart")).build(),
                HttpRequest.newBuilder(server.uri("/page")).header("Cookie", "session=s-1").build(),
                HttpRequest.newBuilder(server.uri("/page")).build(),
                HttpRequest.newBuilder(server.uri("/overlap")).build());
        List<String> answers = new ArrayList<>();
        for (HttpRequest request : requests) {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            // a 404's body lists the stubs, in an order that differs once equal priorities tie on newness
            answers.add(r.statusCode() == 404 ? "404" : r.statusCode() + " " + r.body() + " " + r.headers().allValues("Set-Cookie"));
        }
        return answers;
    }

    private Path originals() throws Exception {
        Path root = dir.resolve("original");
        MappingFilesTest.write(root.resolve("mappings/users.json"), """
            {"mappings": [
              {"priority": 1, "request": {"method": "GET", "urlPathPattern": "/users/[0-9]+",
                 "headers": {"Accept": {"contains": "json"}}},
               "response": {"status": 200, "jsonBody": {"id": 7, "name": "Ada"}, "headers": {"Set-Cookie": ["a=1", "b=2"]}}},
              {"request": {"method": "GET", "urlPathPattern": "/users/[0-9]+"}, "response": {"status": 406}}
            ]}""");
        MappingFilesTest.write(root.resolve("mappings/search.json"), """
            {"name": "search", "request": {"urlPath": "/search", "queryParameters": {"q": {"matches": "[a-z]+"}, "debug": {"absent": true}}},
             "response": {"body": "found", "fixedDelayMilliseconds": 10}}""");
        MappingFilesTest.write(root.resolve("mappings/orders.json"), """
            {"request": {"method": "POST", "url": "/orders",
               "bodyPatterns": [{"equalToJson": "{\\"items\\": [1, 2]}", "ignoreArrayOrder": true, "ignoreExtraElements": true}]},
             "response": {"status": 201, "base64Body": "b2s="}}""");
        MappingFilesTest.write(root.resolve("mappings/cart.json"), """
            {"mappings": [
              {"scenarioName": "cart", "requiredScenarioState": "Started", "request": {"method": "GET", "url": "/cart"}, "response": {"body": "empty"}},
              {"scenarioName": "cart", "newScenarioState": "full", "request": {"method": "POST", "url": "/cart"}, "response": {"status": 204}},
              {"scenarioName": "cart", "requiredScenarioState": "full", "request": {"method": "GET", "url": "/cart"}, "response": {"body": "full"}}
            ]}""");
        MappingFilesTest.write(root.resolve("mappings/page.json"), """
            {"request": {"url": "/page", "cookies": {"session": {"matches": "s-[0-9]+"}}}, "response": {"bodyFileName": "page.html"}}""");
        MappingFilesTest.write(root.resolve("mappings/overlap-1.json"), """
            {"request": {"url": "/overlap"}, "response": {"body": "older"}}""");
        MappingFilesTest.write(root.resolve("mappings/overlap-2.json"), """
            {"request": {"url": "/overlap"}, "response": {"body": "newer"}}""");
        MappingFilesTest.write(root.resolve("__files/page.html"), "<p>page</p>");
        return root;
    }

    @Test
    void loadingSavingAndLoadingAgainGivesTheSameAnswers() throws Exception {
        MockServer first = start();
        first.loadMappings(originals());
        List<String> expected = answers(first);
        assertThat(expected).containsExactly(
                "200 {\"id\":7,\"name\":\"Ada\"} [a=1, b=2]", "406  []", "200 found []", "201 ok []", "404", "200 empty []",
                "204  []", "200 full []", "200 <p>page</p> []", "404", "200 newer []");

        Path saved = dir.resolve("saved");
        List<Path> files = first.saveMappings(saved);
        assertThat(files).hasSize(10);
        MockServer second = start();
        second.loadMappings(saved);
        assertThat(answers(second)).isEqualTo(expected);
        assertThat(second.stubs()).extracting(s -> s.mapping().orElseThrow())
                .isEqualTo(first.stubs().stream().map(s -> s.mapping().orElseThrow()).toList());
    }

    @Test
    void savedFilesAreNamedInTheOrderOfTheStubsAndBodyFilesAreInlined() throws Exception {
        MockServer server = start();
        server.loadMappings(originals());
        List<Path> files = server.saveMappings(dir.resolve("saved"));
        assertThat(files.get(0).getFileName().toString()).as("files load in name order").startsWith("0001-get-cart-");
        assertThat(files.get(9).getFileName().toString()).as("the priority-1 stub is tried first, so it comes last")
                .startsWith("0010-get-users-0-9-");
        assertThat(files).extracting(f -> f.getFileName().toString().substring(0, 5))
                .containsExactly("0001-", "0002-", "0003-", "0004-", "0005-", "0006-", "0007-", "0008-", "0009-", "0010-");
        String page = Files.readString(files.stream().filter(f -> f.toString().contains("-page-")).findFirst().orElseThrow());
        assertThat(page).contains("\"body\": \"<p>page</p>\"").doesNotContain("bodyFileName");
        assertThat(Json.parse(page)).isEqualTo(Json.parse(server.stubs().stream()
                .filter(s -> s.toMappingJson().contains("/page")).findFirst().orElseThrow().toMappingJson()));
    }

    @Test
    void stubsMadeInCodeAreNotSavedAndHaveNoMappingJson() throws Exception {
        MockServer server = start();
        server.addMapping("{\"request\": {\"url\": \"/file\"}, \"response\": {\"body\": \"from a mapping\"}}");
        Stub inCode = server.onGet("/code").matching("any predicate", r -> true).respond(200);
        List<Path> files = server.saveMappings(dir.resolve("saved"));
        assertThat(files).singleElement().asString().contains("/0001-file-");
        assertThatThrownBy(inCode::toMappingJson).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /code").hasMessageContaining("was made in code");
    }

    @Test
    void anIdThatIsNotAFileNameIsMadeOneAndTheSavedMappingStillMatchesThePathAsSent() throws Exception {
        MockServer server = start();
        server.addMapping("{\"id\": \"x/../y\", \"request\": {\"method\": \"PUT\", \"url\": \"/a%20b\"}, \"response\": {}}");
        List<Path> files = server.saveMappings(dir.resolve("saved"));
        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.getParent()).isEqualTo(dir.resolve("saved"));
            assertThat(f.getFileName().toString()).isEqualTo("0001-put-a-20b-x-..-y.json");
        });
        MockServer again = start();
        again.loadMappings(files.get(0));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(again.uri() + "a%20b"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(again.stubs().get(0).mapping().orElseThrow().get("id").toString()).isEqualTo("\"x/../y\"");
    }
}
