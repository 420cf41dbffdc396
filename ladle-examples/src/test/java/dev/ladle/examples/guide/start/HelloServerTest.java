package dev.ladle.examples.guide.start;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/** The getting-started server, asked as the guide shows with curl. */
class HelloServerTest {
    @Test
    void greetsTheNameInTheQueryOrTheWorld() throws Exception {
        try (Server server = HelloServer.start(0); HttpClient client = HttpClient.newHttpClient()) {
            URI base = server.getUris().get(0);
            HttpResponse<String> named = client.send(HttpRequest.newBuilder(base.resolve("/hello?name=Ada")).build(), BodyHandlers.ofString());
            assertThat(named.statusCode()).isEqualTo(200);
            assertThat(named.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(named.body()).isEqualTo("Hello, Ada!\n");
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/hello")).build(), BodyHandlers.ofString()).body())
                    .isEqualTo("Hello, world!\n");
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/")).build(), BodyHandlers.discarding()).statusCode())
                    .as("no handler at /").isEqualTo(404);
        }
    }
}
