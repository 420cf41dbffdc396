package dev.ladle.examples.guide.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.junit.LadleExtension;
import dev.ladle.junit.MockResponse;
import dev.ladle.junit.MockServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testing chapter's lenient mock server: a test that makes an unmatched request on purpose. */
class LenientUserClientTest {
    // tag::lenient[]
    @RegisterExtension
    LadleExtension ladle = new LadleExtension().lenient(); // unmatched requests do not fail the test

    @Test
    void anUnknownUserIsAnError() throws Exception {
        MockServer server = ladle.server();
        server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));

        assertThatThrownBy(() -> new UserClient(server.uri()).name(8))
                .isInstanceOf(IOException.class).hasMessage("GET /users/8: 404");

        assertThat(server.unmatchedRequests()).singleElement()
                .satisfies(request -> assertThat(request.path()).isEqualTo("/users/8"));
    }
    // end::lenient[]

    @Test
    void theUnmatchedRequestGetsA404NamingTheClosestStub() throws Exception {
        MockServer server = ladle.server();
        server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(server.uri("/users/8")).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("""
                ladle-junit: no stub matches GET /users/8
                Closest stubs (of 1):
                  GET /users/7
                    x path /users/7: was "/users/8"
                """);
    }
}
