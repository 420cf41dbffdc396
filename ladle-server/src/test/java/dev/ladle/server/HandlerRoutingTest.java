package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handler matching (issue 2 item 3): longest prefix on segment boundaries, default, early, {@code *}. */
class HandlerRoutingTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void answerWithName(String path, String name) {
        server.addHandler(path, (srv, msg, p, q) -> {
            msg.setResponse("text/plain", (name + " " + p).getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
    }

    private WireClient.Response get(String target) throws Exception {
        try (WireClient c = new WireClient(base)) {
            return c.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n").read();
        }
    }

    private ProtocolClient.Response get(Protocol protocol, String target) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            return c.get(target);
        }
    }

    @Test
    void longestRegisteredPrefixWins() throws Exception {
        answerWithName("/", "root");
        answerWithName("/foo", "foo");
        answerWithName("/foo/bar", "foobar");
        assertThat(get("/foo/bar/baz").bodyText()).isEqualTo("foobar /foo/bar/baz");
        assertThat(get("/foo/x").bodyText()).isEqualTo("foo /foo/x");
        assertThat(get("/foo").bodyText()).isEqualTo("foo /foo");
        assertThat(get("/other").bodyText()).isEqualTo("root /other");
    }

    @Test
    void prefixMatchesOnlyOnSegmentBoundaries() throws Exception {
        answerWithName("/", "root");
        answerWithName("/foo", "foo");
        assertThat(get("/foobar").bodyText()).isEqualTo("root /foobar");
        assertThat(get("/foo/").bodyText()).isEqualTo("foo /foo/");
    }

    @Test
    void pathRegisteredWithTrailingSlashCoversWhatIsBelowIt() throws Exception {
        answerWithName("/", "root");
        answerWithName("/dir/", "dir");
        assertThat(get("/dir/file").bodyText()).isEqualTo("dir /dir/file");
        assertThat(get("/dir").bodyText()).isEqualTo("root /dir");
    }

    @Test
    void nullPathIsTheDefaultHandler() throws Exception {
        answerWithName(null, "default");
        assertThat(get("/anything/at/all").bodyText()).isEqualTo("default /anything/at/all");
    }

    @Test
    void noCoveringHandlerGives404AndKeepsTheConnection() throws Exception {
        answerWithName("/only", "only");
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(c.send("GET /only HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void asteriskTargetReachesOnlyAnExplicitAsteriskHandler() throws Exception {
        answerWithName("/", "root");
        try (WireClient c = new WireClient(base)) {
            assertThat(c.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(404);
        }
        AtomicReference<String> seen = new AtomicReference<>();
        server.addHandler("*", (srv, msg, p, q) -> {
            seen.set(p + " " + msg.isOptionsPing());
            msg.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            assertThat(c.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(seen.get()).isEqualTo("* true");
        assertThat(get("/x").bodyText()).isEqualTo("root /x");
    }

    @BothProtocols
    void earlyAndNormalHandlersAtTheSamePathBothRun(Protocol protocol) throws Exception {
        StringBuffer order = new StringBuffer();
        server.addEarlyHandler("/both", (srv, msg, p, q) -> order.append("early(").append(msg.getRequestBody().length()).append(")"));
        server.addHandler("/both", (srv, msg, p, q) -> {
            order.append("normal(").append(msg.getRequestBody().length()).append(")");
            msg.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(ProtocolClient.Request.of("POST", "/both").body("abc")).read().status()).isEqualTo(200);
        }
        assertThat(order.toString()).isEqualTo("early(0)normal(3)");
    }

    @BothProtocols
    void earlyOnlyEntryHidesAShorterNormalHandlerAndGives500(Protocol protocol) throws Exception {
        answerWithName("/", "root");
        server.addEarlyHandler("/early", (srv, msg, p, q) -> { });
        assertThat(get(protocol, "/early/x").status()).isEqualTo(500);
    }

    @BothProtocols
    void removeHandlerRemovesEarlyAndNormalAtThatPath(Protocol protocol) throws Exception {
        answerWithName("/", "root");
        answerWithName("/foo", "foo");
        server.addEarlyHandler("/foo", (srv, msg, p, q) -> msg.setStatus(403));
        assertThat(get(protocol, "/foo").status()).isEqualTo(403);
        server.removeHandler("/foo");
        assertThat(get(protocol, "/foo").bodyText()).isEqualTo("root /foo");
    }

    @Test
    void callbackGetsTheDecodedPathAndQueryMap() throws Exception {
        Map<String, Object> seen = new ConcurrentHashMap<>();
        server.addHandler("/", (srv, msg, p, q) -> {
            seen.put("path", p);
            seen.put("query", q == null ? "null" : q);
            msg.setStatus(200);
        });
        get("/a%20b/%C3%A9?x=1&y&z=a+b&x=2&e=%C3%A9");
        assertThat(seen.get("path")).isEqualTo("/a b/é");
        assertThat(seen.get("query")).isEqualTo(Map.of("x", "2", "z", "a b", "e", "é"));
        get("/plain");
        assertThat(seen.get("query")).isEqualTo("null");
        get("/empty?");
        assertThat(seen.get("query")).isEqualTo(Map.of());
    }

    @Test
    void encodedSlashIsRoutedAsASlash() throws Exception {
        answerWithName("/", "root");
        answerWithName("/a/b", "ab");
        assertThat(get("/a%2Fb").bodyText()).isEqualTo("ab /a/b");
    }

    @Test
    void rawPathsAreMatchedAsSent() throws Exception {
        server.setRawPaths(true);
        answerWithName("/", "root");
        assertThat(get("/a%20b").bodyText()).isEqualTo("root /a%20b");
    }

    @Test
    void handlerPathMustStartWithSlash() {
        assertThatThrownBy(() -> server.addHandler("foo", (s, m, p, q) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("foo");
    }
}
