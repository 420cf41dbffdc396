package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket through a real Server: handshakes as raw bytes, and the JDK and OkHttp clients. */
@Timeout(60)
class WebSocketServerTest {
    private Server server;
    private URI base;
    private final BlockingQueue<WebSocketConnection> connections = new LinkedBlockingQueue<>();
    private final List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() throws Exception {
        for (java.net.Socket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    /** Sends a raw handshake; the socket is closed after the test. */
    private Handshake handshake(String request) throws Exception {
        Handshake h = Handshake.send(base, request);
        sockets.add(h.socket);
        return h;
    }

    /** Returns the next connection a handler received. */
    private WebSocketConnection connection() throws InterruptedException {
        WebSocketConnection conn = connections.poll(10, TimeUnit.SECONDS);
        assertThat(conn).as("a connection reached the handler").isNotNull();
        return conn;
    }

    /** Registers an echo endpoint at {@code path}. */
    private void echo(String path, String origin, List<String> protocols) {
        server.addWebSocketHandler(path, origin, protocols, (srv, msg, p, conn) -> {
            connections.add(conn);
            conn.onMessage((type, data) -> conn.sendMessage(type, data));
        });
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    // ---- handshake -------------------------------------------------------------------------------

    @Test
    void validHandshakeGets101WithTheAcceptKeyAndNoBodyFraming() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(h.header("Connection")).isEqualToIgnoringCase("Upgrade");
        assertThat(h.header("Sec-WebSocket-Accept")).isEqualTo(Handshake.ACCEPT);
        assertThat(h.header("Content-Length")).isNull();
        assertThat(h.header("Sec-WebSocket-Protocol")).isNull();
        assertThat(h.header("Sec-WebSocket-Extensions")).isNull();
        try (RawPeer peer = new RawPeer(h.socket, true)) {
            peer.sendText("over raw frames");
            assertThat(peer.read().text()).isEqualTo("over raw frames");
        }
    }

    @Test
    void framesSentRightBehindTheHandshakeAreNotLost() throws Exception {
        echo("/ws", null, null);
        byte[] head = Handshake.request("/ws").getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame = RawPeer.frame(true, 0, 0x1, true, "early".getBytes(StandardCharsets.UTF_8), 0);
        byte[] both = new byte[head.length + frame.length];
        System.arraycopy(head, 0, both, 0, head.length);
        System.arraycopy(frame, 0, both, head.length, frame.length);
        try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(both);
            byte[] response = new byte[0];
            String text;
            do {
                response = java.util.Arrays.copyOf(response, response.length + 1);
                response[response.length - 1] = (byte) s.getInputStream().read();
                text = new String(response, StandardCharsets.ISO_8859_1);
            } while (!text.endsWith("\r\n\r\n"));
            assertThat(text).startsWith("HTTP/1.1 101");
            assertThat(new RawPeer(s, true).read().text()).isEqualTo("early");
        }
    }

    @Test
    void callbackGetsTheConnectionFacts() throws Exception {
        echo("/facts", "http://example.com", List.of("chat"));
        Handshake h = handshake(Handshake.request("/facts?x=1", "Origin: http://example.com",
                "Sec-WebSocket-Protocol: chat"));
        assertThat(h.status).isEqualTo(101);
        WebSocketConnection conn = connection();
        assertThat(conn.getConnectionType()).isEqualTo(ConnectionType.SERVER);
        assertThat(conn.getUri().getScheme()).isEqualTo("ws");
        assertThat(conn.getUri().getPath()).isEqualTo("/facts");
        assertThat(conn.getUri().getQuery()).isEqualTo("x=1");
        assertThat(conn.getOrigin()).isEqualTo("http://example.com");
        assertThat(conn.getProtocol()).isEqualTo("chat");
        assertThat(conn.getState()).isEqualTo(WebSocketState.OPEN);
    }

    @Test
    void plainGetIsRefusedWith400AndConnectionClose() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(h.status).isEqualTo(400);
        assertThat(h.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(h.body).contains("WebSocket handshake expected");
        assertThat(h.serverClosed()).isTrue();
    }

    @Test
    void postIsRefusedWith400() throws Exception {
        echo("/ws", null, null);
        String req = Handshake.request("/ws", "Content-Length: 0").replaceFirst("GET", "POST");
        assertThat(handshake(req).status).isEqualTo(400);
    }

    @Test
    void connectionHeaderMustContainUpgradeAsAToken() throws Exception {
        echo("/ws", null, null);
        assertThat(handshake(Handshake.request("/ws").replace("Connection: Upgrade", "Connection: keep-alive, Upgrade")).status)
                .isEqualTo(101);
        assertThat(handshake(Handshake.request("/ws").replace("Connection: Upgrade", "Connection: upgraded")).status)
                .isEqualTo(400);
    }

    @Test
    void wrongVersionIsRefusedNamingVersion13() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws").replace("Version: 13", "Version: 8"));
        assertThat(h.status).isEqualTo(400);
        assertThat(h.header("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(h.body).contains("Unsupported WebSocket version");
        Handshake missing = handshake(Handshake.request("/ws").replace("Sec-WebSocket-Version: 13\r\n", ""));
        assertThat(missing.status).isEqualTo(400);
        assertThat(missing.header("Sec-WebSocket-Version")).isEqualTo("13");
    }

    @Test
    void keyThatIsNotSixteenBytesIsRefused() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws").replace(Handshake.KEY, "dGhlIHNhbXBsZSBub25j"));
        assertThat(h.status).isEqualTo(400);
        assertThat(h.body).contains("Invalid WebSocket key");
    }

    @Test
    void wrongOrMissingOriginIsForbidden() throws Exception {
        echo("/ws", "https://good.example", null);
        Handshake wrong = handshake(Handshake.request("/ws", "Origin: https://evil.example"));
        assertThat(wrong.status).isEqualTo(403);
        assertThat(wrong.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(handshake(Handshake.request("/ws")).status).isEqualTo(403);
        assertThat(handshake(Handshake.request("/ws", "Origin: HTTPS://GOOD.example")).status).isEqualTo(101);
    }

    @Test
    void serverPicksItsMostPreferredProtocolAmongTheClientsOffers() throws Exception {
        echo("/ws", null, List.of("aaa", "bbb"));
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Protocol: bbb, aaa"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Protocol")).isEqualTo("aaa");
    }

    @Test
    void offeringOnlyUnknownProtocolsIsRefused() throws Exception {
        echo("/ws", null, List.of("aaa"));
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Protocol: zzz, AAA"));
        assertThat(h.status).isEqualTo(400);
        assertThat(h.body).contains("Unsupported WebSocket subprotocol");
    }

    @Test
    void offeringNoProtocolIsAcceptedWithoutOne() throws Exception {
        echo("/ws", null, List.of("aaa"));
        Handshake h = handshake(Handshake.request("/ws"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Protocol")).isNull();
    }

    @Test
    void handlerWithoutProtocolsAcceptsAnyOfferWithoutEchoing() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Protocol: chat"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Protocol")).isNull();
    }

    @Test
    void emptyProtocolHeaderIsRefused() throws Exception {
        echo("/ws", null, List.of("aaa"));
        assertThat(handshake(Handshake.request("/ws", "Sec-WebSocket-Protocol: ")).status).isEqualTo(400);
    }

    @Test
    void deflateOfferIsAnsweredWithTheParametersItHonours() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits; server_no_context_takeover"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(connection().getExtensions()).singleElement().isInstanceOf(DeflateExtension.class);
    }

    @Test
    void badDeflateOfferIsDeclinedNotFatal() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws",
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=99"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Extensions")).isNull();
        assertThat(connection().getExtensions()).isEmpty();
    }

    @Test
    void firstAcceptableOfferWinsAndOnlyOneIsAccepted() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws",
                "Sec-WebSocket-Extensions: permessage-deflate; foo, permessage-deflate; client_no_context_takeover; "
                        + "client_no_context_takeover, permessage-deflate; server_max_window_bits=12",
                "Sec-WebSocket-Extensions: permessage-deflate"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate; server_max_window_bits=12");
    }

    @Test
    void unknownExtensionsAreIgnored() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Extensions: x-foo; bar=1"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Extensions")).isNull();
    }

    @Test
    void malformedExtensionHeaderIsRefused() throws Exception {
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Extensions: permessage-deflate; =x"));
        assertThat(h.status).isEqualTo(400);
    }

    @Test
    void removedExtensionIsNotNegotiated() throws Exception {
        server.removeWebSocketExtension(WebSocketExtension.class);
        echo("/ws", null, null);
        Handshake h = handshake(Handshake.request("/ws", "Sec-WebSocket-Extensions: permessage-deflate"));
        assertThat(h.status).isEqualTo(101);
        assertThat(h.header("Sec-WebSocket-Extensions")).isNull();
    }

    @Test
    void normalHandlerAtTheSamePathCanRefuseTheHandshake() throws Exception {
        echo("/ws", null, null);
        server.addHandler("/ws", (srv, msg, path, query) -> {
            if (msg.getRequestHeaders().getOne("X-Token") == null) {
                msg.setStatus(401);
            }
        });
        assertThat(handshake(Handshake.request("/ws")).status).isEqualTo(401);
        assertThat(handshake(Handshake.request("/ws", "X-Token: yes")).status).isEqualTo(101);
    }

    // ---- real clients ----------------------------------------------------------------------------

    @Test
    void jdkWebSocketClientEchoesTextAndBinary() throws Exception {
        echo("/echo", null, null);
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CountDownLatch closed = new CountDownLatch(1);
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.add(b);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
                received.add("closed " + statusCode);
                closed.countDown();
                return null;
            }
        };
        try (HttpClient client = HttpClient.newHttpClient()) {
            java.net.http.WebSocket socket = client.newWebSocketBuilder().buildAsync(ws("/echo"), listener).get(10, TimeUnit.SECONDS);
            socket.sendText("hello ladle", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello ladle");
            socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
            assertThat((byte[]) received.poll(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
            String big = "x".repeat(100_000);
            socket.sendText(big, true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
            socket.sendClose(CloseCode.NORMAL, "done").get(10, TimeUnit.SECONDS);
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("closed 1000");
        }
    }

    @Test
    void okHttpClientNegotiatesPermessageDeflateAndEchoes() throws Exception {
        echo("/echo", null, null);
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        BlockingQueue<ByteString> binaries = new LinkedBlockingQueue<>();
        CompletableFuture<Response> opened = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        OkHttpClient client = new OkHttpClient();
        try {
            okhttp3.WebSocket socket = client.newWebSocket(new Request.Builder().url(ws("/echo").toString()).build(),
                    new WebSocketListener() {
                        @Override
                        public void onOpen(okhttp3.WebSocket webSocket, Response response) {
                            opened.complete(response);
                        }

                        @Override
                        public void onMessage(okhttp3.WebSocket webSocket, String text) {
                            texts.add(text);
                        }

                        @Override
                        public void onMessage(okhttp3.WebSocket webSocket, ByteString bytes) {
                            binaries.add(bytes);
                        }

                        @Override
                        public void onClosing(okhttp3.WebSocket webSocket, int code, String reason) {
                            webSocket.close(code, reason);
                        }

                        @Override
                        public void onClosed(okhttp3.WebSocket webSocket, int code, String reason) {
                            closed.countDown();
                        }

                        @Override
                        public void onFailure(okhttp3.WebSocket webSocket, Throwable t, Response response) {
                            opened.completeExceptionally(t);
                            texts.add("failure: " + t);
                        }
                    });
            Response response = opened.get(10, TimeUnit.SECONDS);
            assertThat(response.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
            String compressible = "compress this line please. ".repeat(2000);
            for (int i = 0; i < 20; i++) {
                socket.send(compressible + i);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(texts.poll(10, TimeUnit.SECONDS)).isEqualTo(compressible + i);
            }
            socket.send(ByteString.of(new byte[] {9, 8, 7}));
            assertThat(binaries.poll(10, TimeUnit.SECONDS).toByteArray()).containsExactly(9, 8, 7);
            WebSocketConnection conn = connection();
            assertThat(conn.getExtensions()).singleElement().isInstanceOf(DeflateExtension.class);
            conn.close(CloseCode.NORMAL, "server done");
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
