package dev.ladle.server.internal.http2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request semantics of HTTP/2 on a whole {@link Server}: the {@code *} target, CONNECT, trailers, Host. */
class Http2RequestSemanticsTest {
    private Server server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("*", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", ("star " + msg.getMethod() + " " + path + " ping=" + msg.isOptionsPing()).getBytes(UTF_8));
        });
        server.addHandler("/", (s, msg, path, query) -> {
            String trailer = msg.getRequestHeaders().getOne("x-checksum");
            msg.setStatus(200);
            msg.setResponse("text/plain", (msg.getMethod() + " " + path + " host=" + msg.getRequestHeaders().getOne("Host")
                    + " uri=" + msg.getUri() + " body=" + msg.getRequestBody().length() + " trailer=" + trailer).getBytes(UTF_8));
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void optionsStarReachesTheStarHandler() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, ":method", "OPTIONS", ":scheme", "http", ":path", "*", ":authority", "localhost");
            assertThat(c.response(1).text()).isEqualTo("star OPTIONS * ping=true");
        }
    }

    @Test
    void hostAndUriComeFromTheAuthority() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/a?b=c", ":authority", "example.test:8080");
            assertThat(c.response(1).text())
                    .isEqualTo("GET /a host=example.test:8080 uri=http://example.test:8080/a?b=c body=0 trailer=null");
        }
    }

    @Test
    void trailersAfterTheBodyReachTheHandlerAsRequestHeaders() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/up", ":authority", "localhost");
            c.data(1, false, new byte[300]);
            c.headers(1, true, "x-checksum", "abc");
            assertThat(c.response(1).text()).isEqualTo("POST /up host=localhost uri=http://localhost/up body=300 trailer=abc");
        }
    }

    @Test
    void aPlainConnectReachesTheHandlersAsOnHttp1AndItsSuccessEndsTheStream() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, ":method", "CONNECT", ":authority", "example.test:443");
            H2TestClient.Response r = c.response(1);
            assertThat(r.headers()).containsSequence(":status", "200");
            // a 2xx CONNECT has no body (RFC 9110 section 9.3.6); without stealConnection there is no tunnel
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void aHostThatDiffersFromTheAuthorityIsRefused() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "a.test", "host", "b.test");
            assertThat(c.response(1).headers()).containsSequence(":status", "400");
        }
    }
}
