package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.junit.MockResponse;
import dev.ladle.junit.MockServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ladle-httpd --mock DIR}: the built jar as a standalone mock server, serving WireMock-style
 * mapping files and driven through the admin API with curl and the JDK client, as a test in another
 * language would.
 */
class MockModeIT {
    @TempDir
    Path dir;

    @BeforeEach
    void mappings() throws Exception {
        write("mappings/hello.json", """
            {"id": "hello", "request": {"method": "GET", "url": "/hello"},
             "response": {"status": 200, "headers": {"Content-Type": "text/plain"}, "bodyFileName": "hello.txt"}}""");
        write("mappings/api/users.json", """
            {"mappings": [
              {"request": {"method": "GET", "urlPathPattern": "/users/[0-9]+", "headers": {"Accept": {"contains": "json"}}},
               "response": {"status": 200, "jsonBody": {"name": "Ada"}}},
              {"request": {"method": "POST", "url": "/users", "bodyPatterns": [{"matchesJsonPath": "$.name"}]},
               "response": {"status": 201, "headers": {"Location": "/users/2"}}}
            ]}""");
        write("__files/hello.txt", "hello from a body file");
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private HttpdProcess serve(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--mock", dir.toString(), "--port", "0"));
        args.addAll(List.of(extra));
        return HttpdProcess.serve(dir, 1, args.toArray(String[]::new));
    }

    private static HttpResponse<String> call(URI base, String method, String path, String body) throws Exception {
        return Clients.send(HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void servesTheMappingFilesWithoutLoadingAnythingOfJUnit() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (HttpdProcess httpd = HttpdProcess.start(dir, List.of("-Xlog:class+load=info:file=" + classLog),
                "--mock", dir.toString(), "--port", "0")) {
            URI uri = httpd.awaitUris(1).get(0);
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            Clients.CurlResult hello = Clients.curl("-i", uri.resolve("/hello").toString());
            assertThat(hello.stdout()).startsWith("HTTP/1.1 200").contains("Content-Type: text/plain")
                    .endsWith("hello from a body file");
            Clients.CurlResult user = Clients.curl("-H", "Accept: application/json", uri.resolve("/users/7").toString());
            assertThat(user.stdout()).isEqualTo("{\"name\":\"Ada\"}");
            Clients.CurlResult created = Clients.curl("-i", "-H", "Content-Type: application/json", "--data-binary",
                    "{\"name\":\"Bob\"}", uri.resolve("/users").toString());
            assertThat(created.stdout()).startsWith("HTTP/1.1 201").contains("Location: /users/2");
            assertThat(Clients.curl("-o", "/dev/null", "-w", "%{http_code}", uri.resolve("/nothing").toString()).stdout())
                    .isEqualTo("404");
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
        }
        assertThat(Files.readString(classLog)).contains("dev.ladle.junit.MockServer ").doesNotContain("org.junit");
        try (ZipFile jar = new ZipFile(HttpdProcess.jar().toFile())) {
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/junit/") || n.startsWith("org/opentest4j/")))
                    .as("JUnit is ladle-junit's provided dependency: not in the jar").isEmpty();
        }
    }

    @Test
    void theAdminApiAddsListsRemovesAndResetsMappings() throws Exception {
        try (HttpdProcess httpd = serve()) {
            URI uri = httpd.uri();
            HttpResponse<String> added = call(uri, "POST", "/__admin/mappings",
                    "{\"request\": {\"method\": \"PUT\", \"url\": \"/items/1\"}, \"response\": {\"status\": 204}}");
            assertThat(added.statusCode()).isEqualTo(201);
            assertThat(added.body()).contains("\"id\": \"");
            assertThat(call(uri, "PUT", "/items/1", "x").statusCode()).isEqualTo(204);
            assertThat(call(uri, "GET", "/__admin/mappings", null).body()).contains("\"total\": 4").contains("/items/1");

            assertThat(call(uri, "DELETE", "/__admin/mappings", null).statusCode()).isEqualTo(200);
            assertThat(call(uri, "GET", "/hello", null).statusCode()).isEqualTo(404);
            assertThat(call(uri, "POST", "/__admin/mappings/reset", null).statusCode()).isEqualTo(200);
            assertThat(call(uri, "GET", "/hello", null).body()).isEqualTo("hello from a body file");
            assertThat(call(uri, "PUT", "/items/1", "x").statusCode()).as("added through the API, gone after the reset")
                    .isEqualTo(404);

            HttpResponse<String> refused = call(uri, "POST", "/__admin/mappings",
                    "{\"request\": {\"url\": \"/x\"}, \"response\": {\"fault\": \"SLOW\"}}");
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("response.fault must be EMPTY_RESPONSE");
        }
    }

    @Test
    void theJournalScenariosAndResetAreReadAndClearedThroughTheAdminApi() throws Exception {
        write("mappings/door.json", """
            {"mappings": [
              {"scenarioName": "door", "requiredScenarioState": "Started", "newScenarioState": "open",
               "request": {"method": "POST", "url": "/door"}, "response": {"status": 204}},
              {"scenarioName": "door", "requiredScenarioState": "open", "request": {"url": "/door"}, "response": {"body": "open"}}
            ]}""");
        try (HttpdProcess httpd = serve()) {
            URI uri = httpd.uri();
            call(uri, "GET", "/hello", null);
            call(uri, "POST", "/door", "knock");
            assertThat(call(uri, "GET", "/door", null).body()).isEqualTo("open");
            call(uri, "GET", "/missing?x=1", null);

            Clients.CurlResult journal = Clients.curl(uri.resolve("/__admin/requests").toString());
            assertThat(journal.stdout()).contains("\"total\": 4")
                    .contains("\"method\": \"POST\"", "\"url\": \"/door\"", "\"body\": \"knock\"", "\"status\": 204")
                    .contains("\"url\": \"/missing?x=1\"", "\"status\": 404", "\"answeredBy\": \"no stub (404)\"", "\"wasMatched\": false")
                    .doesNotContain("__admin");
            assertThat(journal.stdout().indexOf("/missing")).as("newest first").isLessThan(journal.stdout().indexOf("/hello"));
            assertThat(call(uri, "GET", "/__admin/scenarios", null).body()).contains("\"state\": \"open\"");

            assertThat(call(uri, "POST", "/__admin/scenarios/reset", null).statusCode()).isEqualTo(200);
            assertThat(call(uri, "GET", "/door", null).statusCode()).isEqualTo(404);
            assertThat(call(uri, "DELETE", "/__admin/requests", null).statusCode()).isEqualTo(200);
            assertThat(call(uri, "GET", "/__admin/requests", null).body()).contains("\"total\": 0");

            call(uri, "POST", "/door", "");
            assertThat(call(uri, "POST", "/__admin/reset", null).statusCode()).isEqualTo(200);
            assertThat(call(uri, "GET", "/__admin/requests", null).body()).contains("\"total\": 0");
            assertThat(call(uri, "GET", "/door", null).statusCode()).as("the scenario is back in Started").isEqualTo(404);
        }
    }

    @Test
    void recordingThroughTheAdminApiGivesMappingsThatReplayWithoutTheRealServer() throws Exception {
        Path recorded = dir.resolve("recorded");
        try (MockServer real = MockServer.start()) {
            real.onGet("/weather").respond(MockResponse.json("{\"sky\":\"clear\"}"));
            try (HttpdProcess httpd = serve()) {
                URI uri = httpd.uri();
                assertThat(call(uri, "POST", "/__admin/recordings/start", "{\"targetBaseUrl\": \"" + real.uri() + "\"}")
                        .statusCode()).isEqualTo(200);
                assertThat(call(uri, "GET", "/weather", null).body()).isEqualTo("{\"sky\":\"clear\"}");
                HttpResponse<String> stopped = call(uri, "POST", "/__admin/recordings/stop", null);
                assertThat(stopped.body()).contains("\"url\": \"/weather\"");
                Files.createDirectories(recorded);
                Files.writeString(recorded.resolve("weather.json"), stopped.body());
            }
        }
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--mock", recorded.toString(), "--port", "0")) {
            assertThat(Clients.get(httpd.uri(), "/weather").body()).isEqualTo("{\"sky\":\"clear\"}");
        }
    }

    @Test
    void mockProxyForwardsWhatNoMappingMatches() throws Exception {
        try (MockServer real = MockServer.start()) {
            real.onGet("/elsewhere").respond(MockResponse.text("from the real server"));
            try (HttpdProcess httpd = serve("--mock-proxy", real.uri().toString())) {
                assertThat(Clients.get(httpd.uri(), "/elsewhere").body()).isEqualTo("from the real server");
                assertThat(Clients.get(httpd.uri(), "/hello").body()).isEqualTo("hello from a body file");
            }
        }
    }

    @Test
    void sigtermStopsAtOnceWhileAnAnswerIsDelayed() throws Exception {
        write("mappings/slow.json", "{\"request\": {\"url\": \"/slow\"}, \"response\": {\"fixedDelayMilliseconds\": 60000}}");
        try (HttpdProcess httpd = serve()) {
            CompletableFuture<HttpResponse<String>> waiting = Clients.HTTP.sendAsync(
                    HttpRequest.newBuilder(httpd.uri().resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            // the request is in the journal once the mock chose its answer, which is then being delayed
            long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
            while (!call(httpd.uri(), "GET", "/__admin/requests", null).body().contains("/slow")) {
                assertThat(System.nanoTime()).as("the delayed request reached the journal").isLessThan(deadline);
            }
            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(waiting).failsWithin(HttpdProcess.WAIT);
        }
    }

    @Test
    void aBadMappingFileStopsTheStartWithOneLineNamingTheFileAndTheField() throws Exception {
        Path bad = write("mappings/bad.json", "{\"request\": {\"url\": \"/x\"}, \"response\": {\"transformers\": [\"t\"]}}");
        HttpdProcess.Result result = HttpdProcess.run(dir, "--mock", dir.toString(), "--port", "0");
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString()
                .startsWith("ladle-httpd: " + bad + ": response.transformers is not supported in a response");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aMissingDirectoryAndFileServerFlagsAreRefused() throws Exception {
        HttpdProcess.Result missing = HttpdProcess.run(dir, "--mock", dir.resolve("nope").toString(), "--port", "0");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).startsWith("ladle-httpd: --mock " + dir.resolve("nope") + ": not a directory");

        HttpdProcess.Result withRoot = HttpdProcess.run(dir, "--mock", dir.toString(), "--root", ".");
        assertThat(withRoot.exitCode()).isEqualTo(2);
        assertThat(withRoot.stderr()).startsWith("ladle-httpd: --root does not go with --mock");

        HttpdProcess.Result proxyAlone = HttpdProcess.run(dir, "--mock-proxy", "http://127.0.0.1:1/");
        assertThat(proxyAlone.exitCode()).isEqualTo(2);
        assertThat(proxyAlone.stderr()).startsWith("ladle-httpd: --mock-proxy needs --mock");
    }
}
