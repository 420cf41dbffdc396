package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One log line per exchange: finished ones with their status and size, aborted ones too. */
class AccessLogTest {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/hello", (srv, msg, path, query) -> msg.setResponseValue("hello\n"));
        server.addHandler("/slow", (srv, msg, path, query) -> msg.pause()); // never answered
        AccessLog.install(server, lines::add);
        server.listenLocal(0, Set.of());
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aFinishedRequestIsLoggedWithItsStatusAndBodySize() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            client.send(HttpRequest.newBuilder(base.resolve("/hello")).build(), BodyHandlers.discarding());
            client.send(HttpRequest.newBuilder(base.resolve("/nowhere")).build(), BodyHandlers.discarding());
        }
        assertThat(lines.poll(5, TimeUnit.SECONDS)).matches("GET /hello 200 6 \\d+ms");
        assertThat(lines.poll(5, TimeUnit.SECONDS)).matches("GET /nowhere 404 0 \\d+ms");
    }

    @Test
    void aRequestWhoseClientLeftIsLoggedAsAbortedAndStillGetsItsLine() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            raw.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        String first = lines.poll(10, TimeUnit.SECONDS);
        String second = lines.poll(5, TimeUnit.SECONDS);
        assertThat(first).matches("GET /slow 0 0 \\d+ms");
        assertThat(second).isEqualTo("aborted: GET /slow");
    }
}
