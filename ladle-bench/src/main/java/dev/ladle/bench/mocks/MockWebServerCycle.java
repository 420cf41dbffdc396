package dev.ladle.bench.mocks;

import java.net.http.HttpClient;
import java.util.Objects;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * OkHttp 5's MockWebServer ({@code mockwebserver3}): {@code start()}, a {@link Dispatcher} answering
 * {@code GET /hello} (404 otherwise: a stub with a condition, like the others', rather than the queue,
 * whose cost is the same), the request, {@code close()}. HTTPS through {@code useHttps} with a new
 * context for {@link TestKey}'s key per server, as OkHttp's {@code HandshakeCertificates} gives one.
 */
public final class MockWebServerCycle implements MockLibrary {
    private static final MockResponse HELLO = new MockResponse.Builder().code(200)
            .setHeader("Content-Type", HelloRequest.CONTENT_TYPE).body(HelloRequest.BODY).build();
    private static final MockResponse NOT_FOUND = new MockResponse.Builder().code(404).build();

    private final HttpClient client;
    private final boolean https;

    /** A cycle sending with {@code client}, which must trust {@link TestKey#clientContext()} when {@code https}. */
    public MockWebServerCycle(HttpClient client, boolean https) {
        this.client = Objects.requireNonNull(client, "client");
        this.https = https;
    }

    @Override
    public String library() {
        return "mockwebserver";
    }

    @Override
    public boolean https() {
        return https;
    }

    @Override
    public void cycle() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            if (https) {
                server.useHttps(TestKey.get().newServerContext().getSocketFactory());
            }
            server.start();
            server.setDispatcher(new HelloDispatcher());
            HelloRequest.send(client, HelloRequest.uri(https, server.getPort()));
        }
    }

    /** The stub: {@code GET /hello} answered, anything else 404. */
    private static final class HelloDispatcher extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            boolean hello = "GET".equals(request.getMethod()) && HelloRequest.PATH.equals(request.getUrl().encodedPath());
            return hello ? HELLO : NOT_FOUND;
        }
    }
}
