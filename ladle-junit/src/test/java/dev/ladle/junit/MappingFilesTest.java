package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stubs from WireMock-style mapping files: the subset read, and everything outside it refused by name. */
@Timeout(30)
class MappingFilesTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MockServer server = MockServer.start();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    static Path write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(server.uri(path)));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private void load(String json) throws IOException {
        server.loadMappings(write(dir.resolve("m.json"), json));
    }

    // ---- request conditions -------------------------------------------------------------------

    @Test
    void urlMatchesThePathAndQueryExactlyAsSent() throws Exception {
        load("""
            {"request": {"method": "GET", "url": "/items?page=2"}, "response": {"status": 200, "body": "page two"}}""");
        assertThat(get("/items?page=2").body()).isEqualTo("page two");
        assertThat(get("/items?page=3").statusCode()).isEqualTo(404);
        assertThat(get("/items").statusCode()).isEqualTo(404);
    }

    @Test
    void urlPathMatchesThePathWhateverTheQueryAndAnyMethodMatchesEveryMethod() throws Exception {
        load("""
            {"request": {"method": "ANY", "urlPath": "/items"}, "response": {"status": 204}}""");
        assertThat(get("/items?page=3").statusCode()).isEqualTo(204);
        assertThat(post("/items", "text/plain", "x").statusCode()).isEqualTo(204);
        assertThat(get("/items/7").statusCode()).isEqualTo(404);
    }

    @Test
    void urlPathPatternAndUrlPatternAreWholeRegularExpressions() throws Exception {
        load("""
            {"mappings": [
              {"request": {"urlPathPattern": "/users/[0-9]+"}, "response": {"body": "user"}},
              {"request": {"urlPattern": "/search\\\\?q=[a-z]+"}, "response": {"body": "search"}}
            ]}""");
        assertThat(get("/users/42").body()).isEqualTo("user");
        assertThat(get("/users/42?x=1").body()).isEqualTo("user");
        assertThat(get("/users/ada").statusCode()).isEqualTo(404);
        assertThat(get("/search?q=abc").body()).isEqualTo("search");
        assertThat(get("/search?q=ABC").statusCode()).isEqualTo(404);
    }

    @Test
    void headersQueryParametersAndCookiesTakeWireMocksValueMatchers() throws Exception {
        load("""
            {"request": {"method": "GET", "urlPath": "/r",
               "headers": {"accept": {"equalTo": "APPLICATION/JSON", "caseInsensitive": true},
                           "User-Agent": {"contains": "Java"},
                           "X-Trace": {"matches": "[0-9a-f]{8}"},
                           "X-Env": {"doesNotMatch": "prod.*"},
                           "X-Debug": {"absent": true}},
               "queryParameters": {"tag": {"equalTo": "b"}},
               "cookies": {"session": {"matches": "s-[0-9]+"}}},
             "response": {"status": 200, "body": "matched"}}""");
        HttpRequest.Builder good = HttpRequest.newBuilder(server.uri("/r?tag=a&tag=b"))
                .header("Accept", "application/json").header("X-Trace", "0123abcd").header("X-Env", "staging")
                .header("Cookie", "theme=dark; session=s-17");
        assertThat(send(good).body()).isEqualTo("matched");
        assertThat(send(HttpRequest.newBuilder(server.uri("/r?tag=a&tag=b")).header("Accept", "application/json")
                .header("X-Trace", "0123abcd").header("X-Env", "production").header("Cookie", "session=s-17")).statusCode())
                .as("X-Env doesNotMatch prod.*").isEqualTo(404);
        assertThat(send(good.copy().header("X-Debug", "1")).statusCode()).as("X-Debug absent").isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(server.uri("/r?tag=a")).header("Accept", "application/json")
                .header("X-Trace", "0123abcd").header("X-Env", "dev").header("Cookie", "session=s-17")).statusCode())
                .as("no tag=b").isEqualTo(404);
    }

    @Test
    void bodyPatternsMatchTextRegexAndBytes() throws Exception {
        load("""
            {"mappings": [
              {"request": {"method": "POST", "url": "/text", "bodyPatterns": [{"contains": "hello"}, {"doesNotMatch": ".*bye.*"}]},
               "response": {"body": "text"}},
              {"request": {"method": "POST", "url": "/exact", "bodyPatterns": [{"equalTo": "ABC", "caseInsensitive": true}]},
               "response": {"body": "exact"}},
              {"request": {"method": "POST", "url": "/bytes", "bodyPatterns": [{"binaryEqualTo": "AAEC"}]},
               "response": {"body": "bytes"}}
            ]}""");
        assertThat(post("/text", "text/plain", "well hello there").body()).isEqualTo("text");
        assertThat(post("/text", "text/plain", "hello and bye").statusCode()).isEqualTo(404);
        assertThat(post("/exact", "text/plain", "abc").body()).isEqualTo("exact");
        HttpResponse<String> bytes = send(HttpRequest.newBuilder(server.uri("/bytes"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, 2})));
        assertThat(bytes.body()).isEqualTo("bytes");
    }

    @Test
    void equalToJsonIgnoresMemberOrderAndOptionallyArrayOrderAndExtraElements() throws Exception {
        load("""
            {"mappings": [
              {"request": {"method": "POST", "url": "/strict", "bodyPatterns": [{"equalToJson": "{\\"a\\": 1, \\"b\\": [1, 2]}"}]},
               "response": {"body": "strict"}},
              {"request": {"method": "POST", "url": "/lenient",
                 "bodyPatterns": [{"equalToJson": {"a": 1, "b": [1, 2]}, "ignoreArrayOrder": true, "ignoreExtraElements": true}]},
               "response": {"body": "lenient"}}
            ]}""");
        assertThat(post("/strict", "application/json", "{\"b\":[1,2],\"a\":1.0}").body()).isEqualTo("strict");
        assertThat(post("/strict", "application/json", "{\"a\":1,\"b\":[2,1]}").statusCode()).isEqualTo(404);
        assertThat(post("/lenient", "application/json", "{\"a\":1,\"b\":[2,3,1],\"c\":true}").body()).isEqualTo("lenient");
    }

    @Test
    void matchesJsonPathTakesAPathOrAnExpressionWithAMatcher() throws Exception {
        load("""
            {"mappings": [
              {"request": {"method": "POST", "url": "/orders", "bodyPatterns": [{"matchesJsonPath": "$.items[0].id"}]},
               "response": {"body": "has items"}},
              {"request": {"method": "POST", "url": "/orders",
                 "bodyPatterns": [{"matchesJsonPath": {"expression": "$.customer.name", "equalTo": "Ada"}}]},
               "response": {"body": "Ada's"}}
            ]}""");
        assertThat(post("/orders", "application/json", "{\"customer\":{\"name\":\"Ada\"}}").body()).isEqualTo("Ada's");
        assertThat(post("/orders", "application/json", "{\"items\":[{\"id\":3}]}").body()).isEqualTo("has items");
        assertThat(post("/orders", "application/json", "{\"items\":[]}").statusCode()).isEqualTo(404);
    }

    // ---- responses ----------------------------------------------------------------------------

    @Test
    void responseHeadersMayRepeatAndJsonBodyIsServedAsJson() throws Exception {
        load("""
            {"request": {"url": "/j"},
             "response": {"status": 201, "headers": {"Set-Cookie": ["a=1", "b=2"], "X-One": "1"}, "jsonBody": {"id": 7, "tags": ["x"]}}}""");
        HttpResponse<String> response = get("/j");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"id\":7,\"tags\":[\"x\"]}");
    }

    @Test
    void base64BodyIsSentAsItsBytes() throws Exception {
        byte[] bytes = {(byte) 0xff, 0, 42};
        load("{\"request\": {\"url\": \"/b\"}, \"response\": {\"base64Body\": \"" + Base64.getEncoder().encodeToString(bytes) + "\"}}");
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.uri("/b")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).containsExactly(bytes);
    }

    @Test
    void bodyFileNameIsReadFromTheFilesDirectoryNextToTheMappings() throws Exception {
        write(dir.resolve("mappings/page.json"), """
            {"request": {"url": "/page"}, "response": {"headers": {"Content-Type": "text/html"}, "bodyFileName": "pages/index.html"}}""");
        write(dir.resolve("__files/pages/index.html"), "<h1>hi</h1>");
        server.loadMappings(dir.resolve("mappings"));
        assertThat(get("/page").body()).isEqualTo("<h1>hi</h1>");
    }

    @Test
    void aDirectoryIsReadRecursivelyInPathOrderSkippingBodyFilesAndOtherFiles() throws Exception {
        write(dir.resolve("a/one.json"), "{\"request\": {\"url\": \"/x\"}, \"response\": {\"body\": \"a\"}}");
        write(dir.resolve("b/c/two.json"), "{\"request\": {\"url\": \"/x\"}, \"response\": {\"body\": \"b\"}}");
        write(dir.resolve("__files/not-a-mapping.json"), "{\"anything\": true}");
        write(dir.resolve("notes.txt"), "not JSON");
        assertThat(server.loadMappings(dir)).hasSize(2);
        assertThat(get("/x").body()).as("the later file is the newer stub").isEqualTo("b");
    }

    @Test
    void fixedDelayHoldsTheAnswerBack() throws Exception {
        load("{\"request\": {\"url\": \"/slow\"}, \"response\": {\"body\": \"late\", \"fixedDelayMilliseconds\": 300}}");
        long start = System.nanoTime();
        assertThat(get("/slow").body()).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void delayDistributionsBecomeRandomDelays() throws Exception {
        server.loadMappings(write(dir.resolve("d.json"), """
            {"mappings": [
              {"request": {"url": "/uniform"}, "response": {"delayDistribution": {"type": "uniform", "lower": 200, "upper": 250}}},
              {"request": {"url": "/lognormal"}, "response": {"delayDistribution": {"type": "lognormal", "median": 20, "sigma": 0.1}}}
            ]}"""));
        long start = System.nanoTime();
        assertThat(get("/uniform").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(get("/lognormal").statusCode()).isEqualTo(200);
        assertThat(server.stubs()).extracting(s -> s.toMappingJson().contains("lognormal")).containsExactly(false, true);
    }

    @Test
    void faultsBreakTheExchangeAsWireMocksDo() throws Exception {
        load("""
            {"mappings": [
              {"request": {"url": "/empty"}, "response": {"fault": "EMPTY_RESPONSE"}},
              {"request": {"url": "/reset"}, "response": {"fault": "CONNECTION_RESET_BY_PEER"}},
              {"request": {"url": "/random"}, "response": {"fault": "RANDOM_DATA_THEN_CLOSE"}},
              {"request": {"url": "/chunk"}, "response": {"body": "0123456789", "fault": "MALFORMED_RESPONSE_CHUNK"}}
            ]}""");
        for (String path : new String[] {"/empty", "/reset", "/random", "/chunk"}) {
            HttpRequest request = HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString())).as(path)
                    .isInstanceOf(IOException.class);
        }
        String raw;
        try (RawHttp http = new RawHttp(server.uri())) {
            raw = http.get("/chunk").readToEnd();
        }
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked").endsWith("zz\r\n");
    }

    // ---- priority, scenarios, ids -------------------------------------------------------------

    @Test
    void priorityRanksStubsBeforeNewnessAndStubsMadeInCodeHaveTheDefaultPriority() throws Exception {
        load("""
            {"mappings": [
              {"priority": 1, "request": {"urlPath": "/p"}, "response": {"body": "first"}},
              {"priority": 9, "request": {"urlPath": "/p"}, "response": {"body": "last"}}
            ]}""");
        server.onGet("/p").withQueryParameter("x", "1").respond(MockResponse.text("code"));
        assertThat(get("/p?x=1").body()).as("priority 1 beats the newer stub of priority 5").isEqualTo("first");
        server.stubs().get(server.stubs().size() - 1).remove();
        assertThat(get("/p?x=1").body()).as("then the stub made in code, priority 5").isEqualTo("code");
        assertThat(get("/p").body()).isEqualTo("last");
        assertThat(server.stubs()).extracting(Stub::priority).containsExactly(9, 5);
    }

    @Test
    void scenarioFieldsMoveAndReadTheScenarioState() throws Exception {
        load("""
            {"mappings": [
              {"scenarioName": "cart", "requiredScenarioState": "Started", "request": {"url": "/cart"}, "response": {"body": "empty"}},
              {"scenarioName": "cart", "newScenarioState": "full", "request": {"method": "POST", "url": "/cart"}, "response": {"status": 201}},
              {"scenarioName": "cart", "requiredScenarioState": "full", "request": {"url": "/cart"}, "response": {"body": "one item"}}
            ]}""");
        assertThat(get("/cart").body()).isEqualTo("empty");
        assertThat(post("/cart", "text/plain", "x").statusCode()).isEqualTo(201);
        assertThat(server.scenarioState("cart")).isEqualTo("full");
        assertThat(get("/cart").body()).isEqualTo("one item");
    }

    @Test
    void aMappingWithTheIdOfAStubReplacesIt() throws Exception {
        server.addMapping("{\"id\": \"greeting\", \"request\": {\"url\": \"/hi\"}, \"response\": {\"body\": \"hello\"}}");
        Stub replaced = server.addMapping("{\"uuid\": \"greeting\", \"request\": {\"url\": \"/hi\"}, \"response\": {\"body\": \"bonjour\"}}");
        assertThat(server.stubs()).containsExactly(replaced);
        assertThat(get("/hi").body()).isEqualTo("bonjour");
        assertThat(replaced.mapping().orElseThrow().get("id").toString()).isEqualTo("\"greeting\"");
    }

    @Test
    void everyLoadedStubKnowsItsMappingWithAnId() throws Exception {
        load("{\"name\": \"hi\", \"request\": {\"url\": \"/hi\"}, \"response\": {\"body\": \"hello\"}}");
        Stub stub = server.stubs().get(0);
        assertThat(stub.toMappingJson()).startsWith("{\n  \"id\": \"").contains("\"name\": \"hi\"");
        assertThat(server.onGet("/x").respond(200).mapping()).isEmpty();
    }

    // ---- refused ------------------------------------------------------------------------------

    private void assertRefused(String json, String... messageParts) throws IOException {
        Path file = write(dir.resolve("bad.json"), json);
        assertThatThrownBy(() -> server.loadMappings(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString() + ": ").hasMessageContainingAll(messageParts);
        assertThat(server.stubs()).isEmpty();
    }

    @Test
    void anUnknownFieldIsRefusedNamingTheFileAndTheField() throws Exception {
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {}, \"postServeActions\": []}",
                "postServeActions is not supported in a mapping");
        assertRefused("{\"request\": {\"url\": \"/x\", \"basicAuthCredentials\": {}}, \"response\": {}}",
                "request.basicAuthCredentials is not supported in a request");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"transformers\": [\"t\"]}}",
                "response.transformers is not supported");
    }

    @Test
    void anUnknownMatcherOrFaultIsRefusedNamingWhereItIs() throws Exception {
        assertRefused("{\"request\": {\"url\": \"/x\", \"headers\": {\"Accept\": {\"hasExactly\": []}}}, \"response\": {}}",
                "request.headers.Accept.hasExactly is not supported in a value matcher");
        assertRefused("{\"request\": {\"url\": \"/x\", \"bodyPatterns\": [{\"equalToXml\": \"<a/>\"}]}, \"response\": {}}",
                "request.bodyPatterns[0].equalToXml is not supported in a body pattern");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"fault\": \"SLOW\"}}",
                "response.fault must be EMPTY_RESPONSE");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"delayDistribution\": {\"type\": \"fixed\", \"milliseconds\": 5}}}",
                "response.delayDistribution.type must be uniform or lognormal");
    }

    @Test
    void valuesThatDoNotCompileOrDoNotFitAreRefused() throws Exception {
        assertRefused("{\"request\": {\"urlPathPattern\": \"/x[\"}, \"response\": {}}",
                "urlPathPattern is not a valid regular expression");
        assertRefused("{\"request\": {\"url\": \"/x\", \"bodyPatterns\": [{\"matchesJsonPath\": \"$.items[?(@.id == 1)]\"}]}, \"response\": {}}",
                "request.bodyPatterns[0].matchesJsonPath is not a JSON path ladle-junit reads");
        assertRefused("{\"request\": {\"url\": \"/x\", \"bodyPatterns\": [{\"equalToJson\": \"{nope\"}]}, \"response\": {}}",
                "request.bodyPatterns[0].equalToJson is not valid JSON");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"status\": 99}}", "response.status must be a whole number from 200 to 599");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"body\": \"a\", \"jsonBody\": {}}}",
                "response.jsonBody cannot go with body");
        assertRefused("{\"request\": {\"url\": \"/x\", \"urlPath\": \"/x\"}, \"response\": {}}", "request.urlPath cannot go with url");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"body\": \"abc\", \"headers\": {\"Content-Length\": \"10\"}}}",
                "response.headers.Content-Length does not fit the body");
        assertRefused("{\"request\": {\"url\": \"/x\"}, \"response\": {\"bodyFileName\": \"x.txt\"}}",
                "response.bodyFileName needs a __files directory");
        assertRefused("{\"newScenarioState\": \"b\", \"request\": {\"url\": \"/x\"}, \"response\": {}}", "newScenarioState needs scenarioName");
    }

    @Test
    void aFileThatIsNotJsonIsRefusedWithWhereItBreaks() throws Exception {
        assertRefused("{\"request\": {\"url\": \"/x\"},\n \"response\": {,}}", "not valid JSON", "line 2");
    }

    @Test
    void oneBadFileAddsNothingAndTwoMappingsWithOneIdAreRefused() throws Exception {
        write(dir.resolve("1-good.json"), "{\"id\": \"a\", \"request\": {\"url\": \"/a\"}, \"response\": {}}");
        Path bad = write(dir.resolve("2-bad.json"), "{\"request\": {\"url\": \"/b\"}, \"response\": {\"status\": \"200\"}}");
        assertThatThrownBy(() -> server.loadMappings(dir)).hasMessageContaining(bad + ": response.status must be a whole number");
        assertThat(server.stubs()).isEmpty();

        Files.writeString(bad, "{\"id\": \"a\", \"request\": {\"url\": \"/b\"}, \"response\": {}}");
        assertThatThrownBy(() -> server.loadMappings(dir)).hasMessageContaining("id \"a\" is taken by another mapping in "
                + dir.resolve("1-good.json"));
        assertThat(server.stubs()).isEmpty();
    }

    @Test
    void aMissingPathIsRefused() {
        assertThatThrownBy(() -> server.loadMappings(dir.resolve("nope"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no mapping file or directory");
    }

    @Test
    void addMappingRefusesTextThatIsNotJson() {
        assertThatThrownBy(() -> server.addMapping("nope")).hasMessageStartingWith("mapping: not valid JSON");
        assertThatThrownBy(() -> server.addMapping("{\"response\": {}}")).hasMessage("mapping: request is missing");
    }
}
