package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HEAD is GET without the body (RFC 9110 section 9.3.2): GET stubs answer it, and the journal says HEAD. */
@Timeout(30)
class HeadRequestTest {
    private final MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headIsAnsweredByAGetStubWithItsHeadersAndNoBody() throws Exception {
        server.onGet("/report").respond(MockResponse.text("12345").withHeader("X-Version", "7"));

        String raw = RawHttp.exchange(server.uri(), "HEAD /report HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Version: 7\r\n")
                .contains("Content-Length: 5\r\n").endsWith("\r\n\r\n");
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.method()).isEqualTo("HEAD");
        assertThat(recorded.matchedBy()).isEqualTo("GET /report");
        assertThat(recorded.status()).isEqualTo(200);
    }

    @Test
    void headOfAChunkedGetStubSendsNoChunks() throws Exception {
        server.onGet("/slow").respond(MockResponse.text("abcdef").withChunkedBody(2, Duration.ZERO));

        String raw = RawHttp.exchange(server.uri(), "HEAD /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n").doesNotContain("ab");
    }

    @Test
    void jdkClientsHeadGetsTheGetStubsStatusAndLength() throws Exception {
        server.onGet("/items").respond(MockResponse.status(203).withBody("text/plain", "list"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/items"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(203);
            assertThat(r.headers().firstValue("Content-Length")).contains("4");
            assertThat(r.body()).isEmpty();
        }
        server.assertNoUnmatchedRequests();
    }

    @Test
    void newerHeadStubWinsOverAnOlderGetStub() throws Exception {
        server.onGet("/h").respond(200);
        server.on("HEAD", "/h").respond(204);

        assertThat(RawHttp.exchange(server.uri(), "HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 204 ");
    }

    @Test
    void getStubsDoNotAnswerOtherMethods() throws Exception {
        server.onGet("/h").respond(200);

        assertThat(RawHttp.exchange(server.uri(), "DELETE /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    }
}
