package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A real {@link Server} on an ephemeral 127.0.0.1 port with one default handler that the engine
 * tests share:
 * <ul>
 *   <li>any path: 200, {@code text/plain} body {@code "<METHOD> <path>"}, followed by
 *       {@code " body=<request body>"} when the request had one and {@code " trailer=<X-Trailer>"} when
 *       the request headers carry that field;</li>
 *   <li>{@code /throw}: throws an exception whose message and class must never reach the client;</li>
 *   <li>{@code /status/204}, {@code /status/304}: that status, with a body set that must not be sent.</li>
 * </ul>
 */
final class EngineFixture implements AutoCloseable {
    /** The message of the exception thrown by {@code /throw}; it must never reach a client. */
    static final String SECRET = "secret-failure-detail";

    final Server server;
    final URI uri;

    private EngineFixture(Server server) throws IOException {
        this.server = server;
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        this.uri = server.getUris().get(0);
    }

    static EngineFixture start() throws IOException {
        return start(new Limits(), s -> { });
    }

    static EngineFixture start(Limits limits) throws IOException {
        return start(limits, s -> { });
    }

    /** Starts a server with {@code limits}, the default handler, and whatever {@code setup} adds. */
    static EngineFixture start(Limits limits, Consumer<Server> setup) throws IOException {
        Server server = new Server();
        server.setLimits(limits);
        server.addHandler(null, EngineFixture::handle);
        setup.accept(server);
        return new EngineFixture(server);
    }

    private static void handle(Server server, ServerMessage msg, String path, java.util.Map<String, String> query) {
        switch (path) {
            case "/throw" -> throw new IllegalStateException(SECRET);
            case "/status/204", "/status/304" -> {
                msg.setResponse("text/plain", "must not be sent".getBytes(StandardCharsets.UTF_8));
                msg.setStatus(Integer.parseInt(path.substring(8)));
            }
            default -> {
                StringBuilder text = new StringBuilder(msg.getMethod()).append(' ').append(path);
                byte[] body = msg.getRequestBody().flatten();
                if (body.length > 0) {
                    text.append(" body=").append(new String(body, StandardCharsets.ISO_8859_1));
                }
                String trailer = msg.getRequestHeaders().getOne("X-Trailer");
                if (trailer != null) {
                    text.append(" trailer=").append(trailer);
                }
                msg.setResponse("text/plain", text.toString().getBytes(StandardCharsets.UTF_8));
                msg.setStatus(200);
            }
        }
    }

    WireClient connect() throws IOException {
        return new WireClient(uri);
    }

    ProtocolClient connect(Protocol protocol) throws IOException {
        return protocol.connect(uri);
    }

    /**
     * Reads the answer to a request the server must refuse: {@code status} and nothing of the server's
     * internals; then the exchange must end as its protocol ends it. HTTP/1.1 answers with {@code
     * Connection: close} and closes. HTTP/2 ends only the stream: one whose request body was still coming
     * ({@code bodyOutstanding}) is reset, and the connection serves the next request.
     */
    static ProtocolClient.Response assertRejected(ProtocolClient c, int status, boolean bodyOutstanding) throws IOException {
        ProtocolClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(status);
        assertNoInternals(r);
        if (c.protocol() == Protocol.HTTP_1_1) {
            assertThat(r.hasToken("Connection", "close")).isTrue();
            assertThat(c.endedByServer(10_000)).as("server closed the connection").isTrue();
        } else {
            if (bodyOutstanding) {
                assertThat(c.endedByServer(10_000)).as("server reset the stream").isTrue();
            }
            assertServesAnother(c);
        }
        return r;
    }

    /** Asserts that the connection still serves requests: a probe request gets its 200. */
    static void assertServesAnother(ProtocolClient c) throws IOException {
        ProtocolClient.Response r = c.get("/probe");
        assertThat(r.status()).as("probe on the same connection").isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("GET /probe");
    }

    /**
     * Reads the answer to a request the server must refuse: {@code status}, {@code Connection: close},
     * nothing of the server's internals, and the connection closed afterwards.
     */
    static WireClient.Response assertRejectedAndClosed(WireClient c, int status) throws IOException {
        WireClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.hasToken("Connection", "close")).isTrue();
        assertNoInternals(r);
        c.assertClosed();
        return r;
    }

    /** Asserts that a response shows nothing of the server's internals: no stack trace, no class name. */
    static void assertNoInternals(WireClient.Response r) {
        assertNoInternals(r.text());
    }

    /** Same for a {@link ProtocolClient} response. */
    static void assertNoInternals(ProtocolClient.Response r) {
        assertNoInternals(r.text());
    }

    private static void assertNoInternals(String text) {
        assertThat(text)
                .doesNotContain(SECRET)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("dev.ladle")
                .doesNotContainPattern("\\sat [\\w.$]+\\(");
    }

    @Override
    public void close() {
        server.close();
    }
}
