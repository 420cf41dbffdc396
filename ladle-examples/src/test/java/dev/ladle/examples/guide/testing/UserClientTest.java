package dev.ladle.examples.guide.testing;

import static dev.ladle.junit.StringMatcher.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.junit.LadleExtension;
import dev.ladle.junit.MockResponse;
import dev.ladle.junit.MockServer;
import dev.ladle.junit.RecordedRequest;
import dev.ladle.junit.RequestPattern;
import dev.ladle.junit.Times;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The testing chapter's first samples: a fresh mock server for every test, stubs, the journal, faults. */
// tag::extension[]
@ExtendWith(LadleExtension.class) // a fresh MockServer on a free port for every test, closed after it
class UserClientTest {
    @Test
    void fetchesAUser(MockServer server) throws Exception {
        server.onGet("/users/7").withHeader("Accept", "application/json")
                .respond(MockResponse.json("{\"name\":\"Ada\"}"));

        assertThat(new UserClient(server.uri()).name(7)).isEqualTo("Ada");

        server.verify(1, "GET", "/users/7");
    }
    // end::extension[]

    // tag::journal[]
    @Test
    void renamesWithAJsonPut(MockServer server) throws Exception {
        server.onPut("/users/7").withJsonBody("{\"name\":\"Grace\"}").respond(204);

        new UserClient(server.uri()).rename(7, "Grace");

        RecordedRequest put = server.takeRequest(); // the first request, waiting for it if need be
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.header("content-type")).isEqualTo("application/json");
        assertThat(put.bodyAsString()).isEqualTo("{\"name\":\"Grace\"}");
        server.verify(Times.once(), RequestPattern.put("/users/7").withHeader("Content-Type", containing("json")));
    }
    // end::journal[]

    // tag::errors[]
    @Test
    void reportsAServerErrorAndACutBody(MockServer server) throws Exception {
        server.onGet("/users/7").respondInSequence(
                MockResponse.status(503).withHeader("Retry-After", "1"),
                MockResponse.json("{\"name\":\"Ada\"}").withBodyCutAfter(5)); // declared length, 5 bytes, close
        UserClient client = new UserClient(server.uri());

        assertThatThrownBy(() -> client.name(7)).isInstanceOf(IOException.class).hasMessage("GET /users/7: 503");
        assertThatThrownBy(() -> client.name(7)).isInstanceOf(IOException.class);
        assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(503, 200);
    }
    // end::errors[]

    @Test
    void aFailedVerificationNamesTheClosestRequestAndWhatDiffered(MockServer server) throws Exception {
        server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
        new UserClient(server.uri()).name(7);

        // tag::verify-failure[]
        assertThatThrownBy(() -> server.verify(RequestPattern.get("/users/7").withHeader("Accept", "text/html")))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected at least 1 × GET /users/7 (header Accept equal to \"text/html\")")
                .hasMessageContaining("x header Accept equal to \"text/html\": was \"application/json\"");
        // end::verify-failure[]
    }
}
