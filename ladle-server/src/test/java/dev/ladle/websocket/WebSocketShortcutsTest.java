package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short forms: {@code addWebSocketHandler(path, callback)} and {@link WebSocketConnection#onText} /
 * {@link WebSocketConnection#onBinary}, with the JDK client over HTTP/1.1.
 */
@Timeout(60)
class WebSocketShortcutsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final BlockingQueue<WebSocketConnection> connections = new LinkedBlockingQueue<>();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addWebSocketHandler("/ws", (srv, msg, path, conn) -> {
            connections.add(conn);
            conn.onText(text -> conn.sendText("text:" + text));
            conn.onBinary(data -> conn.sendText("binary:" + data.length + ":" + data[0]));
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    @Test
    void onTextGetsDecodedTextAndOnBinaryGetsBytesEachOnlyItsOwnType() throws Exception {
        JdkPeer peer = JdkPeer.connect(client, ws("/ws"));
        peer.socket.sendText("grüße, 世界", true).get(10, TimeUnit.SECONDS);
        assertThat(peer.text()).isEqualTo("text:grüße, 世界");
        peer.socket.sendBinary(ByteBuffer.wrap(new byte[] {7, 8, 9}), true).get(10, TimeUnit.SECONDS);
        assertThat(peer.text()).as("only the binary listener answered").isEqualTo("binary:3:7");
        peer.socket.sendText("again", true).get(10, TimeUnit.SECONDS);
        assertThat(peer.text()).as("only the text listener answered").isEqualTo("text:again");
        assertThat(peer.texts.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closingTheSubscriptionOfOnTextStopsIt() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        server.addWebSocketHandler("/once", (srv, msg, path, conn) -> {
            conn.onText(text -> {
                seen.add(text);
            }).close();
            conn.onMessage((type, data) -> conn.sendText("done"));
        });
        JdkPeer peer = JdkPeer.connect(client, ws("/once"));
        peer.socket.sendText("x", true).get(10, TimeUnit.SECONDS);
        assertThat(peer.text()).isEqualTo("done");
        assertThat(seen).isEmpty();
    }

    @Test
    void theShortHandlerAcceptsAnyOriginAndChoosesNoSubProtocol() throws Exception {
        JdkPeer peer = new JdkPeer();
        peer.socket = client.newWebSocketBuilder()
                .header("Origin", "https://anywhere.example")
                .subprotocols("chat", "superchat")
                .buildAsync(ws("/ws/room"), peer).get(10, TimeUnit.SECONDS);
        assertThat(peer.socket.getSubprotocol()).as("the response names no sub-protocol").isEmpty();
        WebSocketConnection conn = connections.poll(10, TimeUnit.SECONDS);
        assertThat(conn).isNotNull();
        assertThat(conn.getOrigin()).isEqualTo("https://anywhere.example");
        assertThat(conn.getProtocol()).isNull();
        assertThat(conn.getUri().getPath()).as("covers paths below it").isEqualTo("/ws/room");
        peer.socket.sendText("hi", true).get(10, TimeUnit.SECONDS);
        assertThat(peer.text()).isEqualTo("text:hi");
    }

    @Test
    void theShortHandlerAcceptsAHandshakeWithoutOrigin() throws Exception {
        Handshake h = Handshake.send(base, Handshake.request("/ws"));
        try (RawPeer peer = new RawPeer(h.socket, true)) {
            assertThat(h.status).isEqualTo(101);
            assertThat(h.header("Sec-WebSocket-Protocol")).isNull();
            peer.sendText("raw");
            assertThat(peer.read().text()).isEqualTo("text:raw");
        }
    }
}
