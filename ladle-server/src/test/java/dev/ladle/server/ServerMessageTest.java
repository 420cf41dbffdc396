package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.http.Encoding;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ServerMessage (issue 2 item 5): request facts, response setters and response framing, over both protocols. */
class ServerMessageTest {
    private final Map<String, Object> seen = new ConcurrentHashMap<>();
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

    private Response exchange(Protocol protocol, Request request) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            return c.send(request).read();
        }
    }

    private WireClient.Response exchange(String request) throws Exception {
        try (WireClient c = new WireClient(base)) {
            return c.send(request).read(request.startsWith("HEAD"));
        }
    }

    @BothProtocols
    void exposesMethodUriVersionHeadersBodyAndAddresses(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            seen.put("method", m.getMethod());
            seen.put("uri", m.getUri());
            seen.put("version", m.getHttpVersion());
            seen.put("header", m.getRequestHeaders().getList("X-Multi"));
            seen.put("body", new String(m.getRequestBody().flatten(), StandardCharsets.UTF_8));
            seen.put("remoteHost", m.getRemoteHost());
            seen.put("local", m.getLocalAddress());
            seen.put("secure", m.isSecure());
            m.setStatus(204);
        });
        exchange(protocol, Request.of("POST", "/p/a?q=1").header("X-Multi", "a").header("X-Multi", "b").body("payload"));
        assertThat(seen.get("method")).isEqualTo("POST");
        assertThat(seen.get("uri")).isEqualTo(URI.create("http://127.0.0.1:" + base.getPort() + "/p/a?q=1"));
        assertThat(seen.get("version")).isEqualTo(protocol.version());
        assertThat(seen.get("header")).isEqualTo("a, b");
        assertThat(seen.get("body")).isEqualTo("payload");
        assertThat(seen.get("remoteHost")).isEqualTo("127.0.0.1");
        assertThat(((InetSocketAddress) seen.get("local")).getPort()).isEqualTo(base.getPort());
        assertThat(seen.get("secure")).isEqualTo(false);
    }

    @Test
    void absoluteFormTargetGivesTheUriAndIgnoresHost() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            seen.put("uri", m.getUri());
            seen.put("path", p);
            m.setStatus(200);
        });
        exchange("GET http://other.example:81/x?y HTTP/1.1\r\nHost: ignored\r\n\r\n");
        assertThat(seen.get("uri")).isEqualTo(URI.create("http://other.example:81/x?y"));
        assertThat(seen.get("path")).isEqualTo("/x");
    }

    @Test
    void http10WithoutHostUsesTheLocalAddressAndAnswersHttp10() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            seen.put("uri", m.getUri());
            m.setStatus(200);
        });
        WireClient.Response r = exchange("GET /ten HTTP/1.0\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
        assertThat(seen.get("uri")).isEqualTo(URI.create("http://127.0.0.1:" + base.getPort() + "/ten"));
    }

    @BothProtocols
    void uriKeepsCharactersThatJavaNetUriRefusesAsEscapes(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            seen.put("uri", m.getUri());
            seen.put("path", p);
            m.setStatus(200);
        });
        assertThat(exchange(protocol, Request.get("/a|b{c}?x=\"1\"").header("Host", "h")).status()).isEqualTo(200);
        assertThat(seen.get("uri").toString()).isEqualTo("http://h/a%7Cb%7Bc%7D?x=%221%22");
        assertThat(seen.get("path")).isEqualTo("/a|b{c}");
    }

    @BothProtocols
    void setResponseSetsContentTypeAndLength(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            m.setStatus(201, "Made It");
        });
        Response r = exchange(protocol, Request.get("/"));
        assertThat(r.status()).isEqualTo(201);
        // HTTP/2 carries no reason phrase
        assertThat(r.reason()).isEqualTo(protocol == Protocol.HTTP_1_1 ? "Made It" : null);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Content-Length")).isEqualTo("7");
        assertThat(r.bodyText()).isEqualTo("{\"a\":1}");
    }

    @BothProtocols
    void setRedirectResolvesTheLocationAgainstTheRequestUri(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setRedirect(302, "../there?x=1"));
        Response r = exchange(protocol, Request.get("/a/b/c").header("Host", "h:9"));
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("http://h:9/a/there?x=1");
    }

    @BothProtocols
    void invalidStatusAndHeaderValuesAreRefusedWithExceptions(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            assertThatThrownBy(() -> m.setStatus(42)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.setStatus(200, "bad\r\nX: y")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.getResponseHeaders().append("X-Split", "a\r\nSet-Cookie: y"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.getResponseHeaders().append("Bad Name", "v"))
                    .isInstanceOf(IllegalArgumentException.class);
            m.setStatus(200);
        });
        assertThat(exchange(protocol, Request.get("/")).status()).isEqualTo(200);
    }

    @BothProtocols
    void headGetsTheHeadersOfGetAndNoBody(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", "0123456789".getBytes());
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("HEAD", "/")).read();
            assertThat(r.header("Content-Length")).isEqualTo("10");
            assertThat(r.body()).isEmpty();
            // no stray body bytes: the next response parses cleanly
            assertThat(c.get("/").bodyText()).isEqualTo("0123456789");
        }
    }

    @BothProtocols
    void noContentAndNotModifiedHaveNoBodyAndKeepTheConnection(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", "ignored".getBytes());
            m.setStatus(p.equals("/204") ? 204 : 304);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/204");
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.body()).isEmpty();
            Response r2 = c.get("/304");
            assertThat(r2.status()).isEqualTo(304);
            assertThat(r2.body()).isEmpty();
            assertThat(c.get("/204").status()).isEqualTo(204);
        }
    }

    @BothProtocols
    void everyResponseCarriesDateAndTheConfiguredServerHeader(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        Response r = exchange(protocol, Request.get("/"));
        assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(r.header("Server")).isEqualTo("ladle/" + Server.VERSION);
        server.setServerHeader("probe ");
        assertThat(exchange(protocol, Request.get("/")).header("Server")).isEqualTo("probe ladle/" + Server.VERSION);
        server.setServerHeader("custom/1");
        assertThat(exchange(protocol, Request.get("/")).header("Server")).isEqualTo("custom/1");
        server.setServerHeader(null);
        assertThat(exchange(protocol, Request.get("/")).header("Server")).isNull();
        // errors the server makes itself carry them too
        Response refused = exchange(protocol, Request.get("/").header("Expect", "teapot"));
        assertThat(refused.status()).isEqualTo(417);
        assertThat(refused.header("Date")).isNotNull();
    }

    @BothProtocols
    void chunkedEncodingSetByTheHandlerIsUsed(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.getResponseBody().append("one,");
            m.getResponseBody().append("two");
            m.getResponseBody().complete();
            m.setStatus(200);
        });
        Response r = exchange(protocol, Request.get("/"));
        // HTTP/2 frames the body with DATA and has no Transfer-Encoding
        assertThat(r.header("Transfer-Encoding")).isEqualTo(protocol == Protocol.HTTP_1_1 ? "chunked" : null);
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.bodyText()).isEqualTo("one,two");
    }

    @Test
    void http10ClientGetsAChunkedResponseCloseDelimited() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.getResponseBody().append("eof-body");
            m.getResponseBody().complete();
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).isEqualTo("eof-body");
        }
    }
}
