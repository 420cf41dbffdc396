package dev.ladle.bench.mocks;

import dev.ladle.junit.MockServer;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * ladle-junit's cycle: {@code MockServer.start()} (or {@code builder().https().start()}, which serves the
 * shared test certificate that {@link TestKey} hands the others), {@code onGet("/hello").respond(...)},
 * the request, {@code close()}.
 */
public final class LadleJunitCycle implements MockLibrary {
    private final HttpClient client;
    private final boolean https;

    /** A cycle sending with {@code client}, which must trust {@link TestKey#clientContext()} when {@code https}. */
    public LadleJunitCycle(HttpClient client, boolean https) {
        this.client = Objects.requireNonNull(client, "client");
        this.https = https;
    }

    @Override
    public String library() {
        return "ladle-junit";
    }

    @Override
    public boolean https() {
        return https;
    }

    @Override
    public void cycle() throws Exception {
        try (MockServer server = https ? MockServer.builder().https().start() : MockServer.start()) {
            server.onGet(HelloRequest.PATH).respond(200, HelloRequest.CONTENT_TYPE, HelloRequest.BODY);
            HelloRequest.send(client, HelloRequest.uri(https, server.port()));
        }
    }
}
