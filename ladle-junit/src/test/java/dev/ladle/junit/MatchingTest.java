package dev.ladle.junit;

import static dev.ladle.junit.StringMatcher.absent;
import static dev.ladle.junit.StringMatcher.anyOf;
import static dev.ladle.junit.StringMatcher.containing;
import static dev.ladle.junit.StringMatcher.equalToIgnoreCase;
import static dev.ladle.junit.StringMatcher.matching;
import static dev.ladle.junit.StringMatcher.not;
import static dev.ladle.junit.StringMatcher.present;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.junit.json.JsonEquality;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stub conditions, verification with conditions and counts, and near-miss messages, over real requests. */
@Timeout(30)
class MatchingTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(server.uri(pathAndQuery));
    }

    private HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void headerConditionComparesNamesWithoutCaseAndTakesMatchers() throws Exception {
        server.onGet("/h").withHeader("accept", containing("json")).respond(200);
        assertThat(send(get("/h").header("Accept", "application/json; q=1")).statusCode()).isEqualTo(200);
        assertThat(send(get("/h").header("Accept", "text/html")).statusCode()).isEqualTo(404);
    }

    @Test
    void headerConditionAcceptsAnyOfSeveralValuesAndIgnoringCase() throws Exception {
        server.onGet("/v").withHeader("X-Env", anyOf("dev", "test")).withHeader("X-Mode", equalToIgnoreCase("FAST"))
                .respond(200);
        assertThat(send(get("/v").header("X-Env", "test").header("X-Mode", "fast")).statusCode()).isEqualTo(200);
        assertThat(send(get("/v").header("X-Env", "prod").header("X-Mode", "fast")).statusCode()).isEqualTo(404);
    }

    @Test
    void headerConditionHoldsWhenAnyOfARepeatedHeadersLinesMeetsIt() throws Exception {
        server.onGet("/r").withHeader("X-Tag", "b").respond(200);
        assertThat(send(get("/r").header("X-Tag", "a").header("X-Tag", "b")).statusCode()).isEqualTo(200);
    }

    @Test
    void absentAndNegatedHeaderConditionsRequireTheHeaderMissingOrDifferent() throws Exception {
        server.onGet("/anon").withHeader("Authorization", absent()).respond(200, "text/plain", "anon");
        server.onGet("/plain").withHeader("Accept", not(containing("json"))).respond(200, "text/plain", "plain");
        assertThat(send(get("/anon")).body()).isEqualTo("anon");
        assertThat(send(get("/anon").header("Authorization", "Basic eDp5")).statusCode()).isEqualTo(404);
        assertThat(send(get("/plain").header("Accept", "text/plain")).body()).isEqualTo("plain");
        assertThat(send(get("/plain").header("Accept", "application/json")).statusCode()).isEqualTo(404);
    }

    @Test
    void queryConditionSeesEveryValueOfARepeatedName() throws Exception {
        server.onGet("/q").withQueryParameter("tag", "a").respond(200, "text/plain", "has a");
        assertThat(send(get("/q?tag=b&tag=a")).body()).isEqualTo("has a");
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.queryParameters("tag")).containsExactly("b", "a");
        assertThat(recorded.queryParameters("none")).isEmpty();
    }

    @Test
    void queryValuesConditionWantsExactlyThoseValuesInAnyOrder() throws Exception {
        server.onGet("/q").withQueryParameterValues("tag", "a", "b").respond(200);
        assertThat(send(get("/q?tag=b&tag=a")).statusCode()).isEqualTo(200);
        assertThat(send(get("/q?tag=a")).statusCode()).isEqualTo(404);
        assertThat(send(get("/q?tag=a&tag=b&tag=c")).statusCode()).isEqualTo(404);
    }

    @Test
    void queryConditionDecodesValues() throws Exception {
        server.onGet("/q").withQueryParameter("name", "Ada Lovelace").respond(200);
        assertThat(send(get("/q?name=Ada%20Lovelace")).statusCode()).isEqualTo(200);
    }

    @Test
    void cookieConditionReadsTheCookieHeader() throws Exception {
        server.onGet("/c").withCookie("session", matching("[a-f0-9]{8}")).respond(200);
        assertThat(send(get("/c").header("Cookie", "theme=dark; session=0badcafe")).statusCode()).isEqualTo(200);
        assertThat(send(get("/c").header("Cookie", "session=nothex!")).statusCode()).isEqualTo(404);
        assertThat(send(get("/c")).statusCode()).isEqualTo(404);
    }

    @Test
    void pathMatcherSelectsByRegularExpression() throws Exception {
        server.on("GET", matching("/items/\\d+")).respond(200);
        assertThat(send(get("/items/42")).statusCode()).isEqualTo(200);
        assertThat(send(get("/items/abc")).statusCode()).isEqualTo(404);
    }

    @Test
    void bodyConditionsTakeTextRegexAndContainment() throws Exception {
        server.onPost("/b").withBody(matching("(?s)\\{.*\"id\":\\s*7.*\\}")).respond(201);
        assertThat(send(post("/b", "application/json", "{\"id\": 7, \"x\": 1}")).statusCode()).isEqualTo(201);
        assertThat(send(post("/b", "application/json", "{\"id\": 8}")).statusCode()).isEqualTo(404);
    }

    @Test
    void formFieldConditionDecodesAnUrlencodedBody() throws Exception {
        server.onPost("/login").withFormField("user", "ada").withFormField("remember", present()).respond(200);
        assertThat(send(post("/login", "application/x-www-form-urlencoded", "user=ada&remember=on")).statusCode())
                .isEqualTo(200);
        assertThat(send(post("/login", "application/x-www-form-urlencoded", "user=bob&remember=on")).statusCode())
                .isEqualTo(404);
        // the same text with another content type is not a form
        assertThat(send(post("/login", "text/plain", "user=ada&remember=on")).statusCode()).isEqualTo(404);
    }

    @Test
    void multipartConditionFindsAPartByName() throws Exception {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nfile contents\r\n--XyZ--\r\n";
        server.onPost("/upload").withMultipartPart("file", containing("contents"))
                .withMultipartPart("title", StringMatcher.equalTo("Hello")).respond(201);
        assertThat(send(post("/upload", "multipart/form-data; boundary=XyZ", body)).statusCode()).isEqualTo(201);
        assertThat(send(post("/upload", "multipart/form-data; boundary=XyZ", body.replace("Hello", "Bye"))).statusCode())
                .isEqualTo(404);
    }

    @Test
    void predicateConditionDecidesAnything() throws Exception {
        server.onAny("/p").matching("an even body length", r -> r.body().length % 2 == 0).respond(200);
        assertThat(send(post("/p", "text/plain", "ab")).statusCode()).isEqualTo(200);
        assertThat(send(post("/p", "text/plain", "abc")).statusCode()).isEqualTo(404);
    }

    @Test
    void headIsAnsweredByAGetStubWithoutItsBody() throws Exception {
        server.onGet("/doc").respond(200, "text/plain", "twelve bytes");
        HttpResponse<String> head = send(get("/doc").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains("12");
        assertThat(server.takeRequest().method()).isEqualTo("HEAD");
    }

    @Test
    void verifyCountsRequestsThatMeetEveryCondition() throws Exception {
        send(post("/events", "application/json", "{\"type\":\"click\"}"));
        send(post("/events", "application/json", "{\"type\":\"view\"}"));
        send(post("/events", "text/plain", "click"));
        server.verify(3, RequestPattern.post("/events"));
        server.verify(Times.exactly(2), RequestPattern.post("/events").withHeader("Content-Type", containing("json")));
        server.verify(Times.atLeast(1), RequestPattern.post("/events").withBodyContaining("view"));
        server.verify(Times.never(), RequestPattern.get("/events"));
        server.verify(Times.atMost(1), RequestPattern.post("/events").withBody("click"));
        server.verify(RequestPattern.any("/events").withBodyContaining("click"));
        assertThat(server.findRequests(RequestPattern.post("/events").withBodyContaining("click"))).hasSize(2);
    }

    @Test
    void verifyOfAGetPatternDoesNotCountHeadRequests() throws Exception {
        server.onGet("/doc").respond(200);
        send(get("/doc").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        server.verify(Times.never(), RequestPattern.get("/doc"));
        server.verify(1, RequestPattern.request("HEAD", "/doc"));
    }

    @Test
    void failedVerificationNamesTheClosestRequestAndTheConditionItFailed() throws Exception {
        send(get("/users?id=7").header("Accept", "text/html"));
        send(post("/other", "text/plain", "x"));
        assertThatThrownBy(() -> server.verify(1, RequestPattern.get("/users").withHeader("Accept", containing("json"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected exactly 1 × GET /users (header Accept containing \"json\") but 0 requests matched")
                .hasMessageContaining("Closest requests (of 2):\n  #0 GET /users?id=7\n"
                        + "    x header Accept containing \"json\": was \"text/html\"")
                .hasMessageContaining("#1 POST /other");
    }

    @Test
    void failedVerificationDoesNotListTheRejectedValueAsAMatch() throws Exception {
        send(post("/b", "text/plain", "actual body"));
        assertThatThrownBy(() -> server.verify(1, RequestPattern.post("/b").withBody("expected body")))
                .hasMessageContaining("but 0 requests matched;")
                .hasMessageContaining("body equal to \"expected body\": was \"actual body\"");
    }

    @Test
    void unmatchedRequestGets404NamingTheClosestStubAndWhatDiffered() throws Exception {
        server.onGet("/far").respond(200);
        server.onGet("/items").withHeader("Accept", containing("json")).withQueryParameter("page", "2").respond(200);
        HttpResponse<String> r = send(get("/items?page=3").header("Accept", "application/json"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no stub matches GET /items?page=3")
                .contains("Closest stubs (of 2):\n  GET /items (header Accept containing \"json\", query page equal to \"2\")\n"
                        + "    x query page equal to \"2\": was \"3\"\n  GET /far\n    x path /far: was \"/items\"");
        assertThatThrownBy(server::assertNoUnmatchedRequests)
                .hasMessageContaining("x query page equal to \"2\": was \"3\"");
    }

    @Test
    void conditionsAreDescribedInTheStubsDescription() {
        Stub stub = server.onPut("/x").withHeader("If-Match", present()).withCookie("s", "1").respond(204);
        assertThat(stub.description()).isEqualTo("PUT /x (header If-Match present, cookie s equal to \"1\")");
    }

    @Test
    void invalidRegularExpressionIsRefusedWhenTheMatcherIsMade() {
        assertThatThrownBy(() -> matching("(unclosed")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> anyOf(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestPatternMatchesARecordedRequestDirectly() throws Exception {
        send(get("/a").header("X-One", "1"));
        RecordedRequest r = server.takeRequest();
        assertThat(RequestPattern.get("/a").withHeader("x-one", "1").matches(r)).isTrue();
        assertThat(RequestPattern.get("/a").withHeader("x-one", "2").matches(r)).isFalse();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void jsonBodyConditionIgnoresMemberOrderAndNumberForm() throws Exception {
        server.onPost("/j").withJsonBody("{\"id\": 7, \"tags\": [\"a\", \"b\"]}").respond(201);
        assertThat(send(post("/j", "application/json", "{\"tags\":[\"a\",\"b\"],\"id\":7.0}")).statusCode()).isEqualTo(201);
        assertThat(send(post("/j", "application/json", "{\"tags\":[\"b\",\"a\"],\"id\":7}")).statusCode()).isEqualTo(404);
    }

    @Test
    void jsonBodyConditionCanIgnoreArrayOrderAndExtraFields() throws Exception {
        server.onPost("/j").withJsonBody("{\"tags\": [\"a\", \"b\"]}",
                JsonEquality.exact().ignoringArrayOrder().ignoringExtraFields()).respond(201);
        assertThat(send(post("/j", "application/json", "{\"id\":1,\"tags\":[\"b\",\"a\"]}")).statusCode()).isEqualTo(201);
    }

    @Test
    void jsonBodyMismatchNamesTheFirstDifferenceByPath() throws Exception {
        server.onPost("/j").withJsonBody("{\"items\": [{\"name\": \"a\"}]}").respond(201);
        HttpResponse<String> r = send(post("/j", "application/json", "{\"items\": [{\"name\": \"b\"}]}"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("at $.items[0].name: expected \"a\" but was \"b\"");
        HttpResponse<String> notJson = send(post("/j", "text/plain", "hello"));
        assertThat(notJson.body()).contains("was not JSON (line 1, column 1");
    }

    @Test
    void jsonPathConditionTestsTheSelectedValues() throws Exception {
        server.onPost("/orders").withJsonPath("$.customer.id", StringMatcher.equalTo("42"))
                .withJsonPath("$.lines[*].sku", StringMatcher.startingWith("X-")).withJsonPath("$.note").respond(201);
        String body = "{\"customer\":{\"id\":42},\"lines\":[{\"sku\":\"A-1\"},{\"sku\":\"X-9\"}],\"note\":null}";
        assertThat(send(post("/orders", "application/json", body)).statusCode()).isEqualTo(201);
        assertThat(send(post("/orders", "application/json", body.replace(",\"note\":null", ""))).body())
                .contains("JSON path $.note present: selected nothing");
        assertThat(send(post("/orders", "application/json", body.replace("42", "43"))).body())
                .contains("JSON path $.customer.id equal to \"42\": was \"43\"");
    }

    @Test
    void invalidJsonOrPathIsRefusedWhenTheStubIsMade() {
        assertThatThrownBy(() -> server.onPost("/x").withJsonBody("{\"a\":}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1, column 6");
        assertThatThrownBy(() -> server.onPost("/x").withJsonPath("$.a[")).isInstanceOf(IllegalArgumentException.class);
    }
}
