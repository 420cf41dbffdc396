package dev.ladle.server.internal.http2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets over HTTP/2 (RFC 8441) on a whole {@link Server}: the server advertises
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, an extended CONNECT with {@code :protocol websocket} reaches the
 * handlers of {@code addWebSocketHandler} with the same origin and version checks, and the stream's
 * DATA carries the WebSocket frames both ways.
 */
class Http2WebSocketTest {
    private Server server;
    private int port;
    private final CountDownLatch closed = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addWebSocketHandler("/ws", "https://good.example", List.of("chat"), (srv, msg, path, conn) -> {
            conn.onMessage((type, data) -> conn.sendText("echo " + new String(data, UTF_8)));
            conn.onClosed(closed::countDown);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String[] extendedConnect(String... extra) {
        String[] base = {":method", "CONNECT", ":protocol", "websocket", ":scheme", "http", ":path", "/ws",
            ":authority", "localhost", "sec-websocket-version", "13"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void serverAdvertisesTheExtendedConnectProtocol() throws Exception {
        H2TestClient c = new H2TestClient(port);
        try (c) {
            c.sendRaw(FrameReader.PREFACE);
            c.settings();
            H2TestClient.Frame settings = c.next();
            assertThat(settings.type()).isEqualTo(H2TestClient.SETTINGS);
            ByteBuffer p = ByteBuffer.wrap(settings.payload());
            boolean enabled = false;
            while (p.remaining() >= 6) {
                int id = p.getShort() & 0xffff;
                int value = p.getInt();
                enabled |= id == 0x8 && value == 1;
            }
            assertThat(enabled).as("SETTINGS_ENABLE_CONNECT_PROTOCOL = 1").isTrue();
        }
    }

    @Test
    void extendedConnectOpensAWebSocketThatEchoesOverTheStream() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, false, extendedConnect("origin", "https://good.example", "sec-websocket-protocol", "chat"));
            List<String> head = awaitHeaders(c, 1);
            assertThat(head).containsSequence(":status", "200").containsSequence("sec-websocket-protocol", "chat");
            assertThat(head).doesNotContain("sec-websocket-accept", "upgrade", "connection");

            c.data(1, false, maskedText("hello"));
            assertThat(readFrame(c, 1)).isEqualTo(unmaskedText("echo hello"));

            c.data(1, false, maskedClose());
            byte[] close = readFrame(c, 1);
            assertThat(close[0] & 0x0f).as("close opcode").isEqualTo(0x8);
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWebSocketOnAStreamCountsAsOpenUntilItCloses() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, false, extendedConnect("origin", "https://good.example"));
            assertThat(awaitHeaders(c, 1)).containsSequence(":status", "200");
            c.data(1, false, maskedText("hello"));
            assertThat(readFrame(c, 1)).isEqualTo(unmaskedText("echo hello"));
            assertThat(server.getStatistics().getWebSocketsOpen()).isEqualTo(1);

            c.data(1, false, maskedClose());
            readFrame(c, 1);
            // the count goes down before the handler's own onClosed listener runs
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.getStatistics().getWebSocketsOpen()).isZero();
        }
    }

    @Test
    void theShortHandlerAcceptsAnExtendedConnectWithoutOriginAndChoosesNoSubProtocol() throws Exception {
        server.addWebSocketHandler("/any", (srv, msg, path, conn) -> conn.onText(text -> conn.sendText("echo " + text)));
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, false, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "http", ":path", "/any",
                    ":authority", "localhost", "sec-websocket-version", "13", "sec-websocket-protocol", "chat");
            List<String> head = awaitHeaders(c, 1);
            assertThat(head).containsSequence(":status", "200").doesNotContain("sec-websocket-protocol");
            c.data(1, false, maskedText("hello"));
            assertThat(readFrame(c, 1)).isEqualTo(unmaskedText("echo hello"));
        }
    }

    @Test
    void aWrongOriginIsRefusedWith403() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, extendedConnect("origin", "https://evil.example"));
            assertThat(c.response(1).headers()).containsSequence(":status", "403");
        }
    }

    @Test
    void aMissingVersionIsRefusedWith400() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, true, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "http", ":path", "/ws",
                    ":authority", "localhost", "origin", "https://good.example");
            assertThat(c.response(1).headers()).containsSequence(":status", "400");
        }
    }

    /** Reads frames until the HEADERS of {@code streamId} and returns its decoded fields. */
    private static List<String> awaitHeaders(H2TestClient c, int streamId) throws IOException {
        while (true) {
            H2TestClient.Frame f = c.nextSignificant();
            if (f.type() == H2TestClient.HEADERS && f.streamId() == streamId) {
                return c.decode(f.payload());
            }
            assertThat(f.type()).as("unexpected frame").isNotIn(H2TestClient.RST_STREAM, H2TestClient.GOAWAY);
        }
    }

    /** Reads DATA of {@code streamId} until one whole WebSocket frame arrived; returns its bytes. */
    private static byte[] readFrame(H2TestClient c, int streamId) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (true) {
            byte[] b = got.toByteArray();
            if (b.length >= 2 && b.length >= 2 + (b[1] & 0x7f)) {
                return b;
            }
            H2TestClient.Frame f = c.nextSignificant();
            assertThat(f.type()).as("unexpected frame").isNotIn(H2TestClient.RST_STREAM, H2TestClient.GOAWAY);
            if (f.type() == H2TestClient.DATA && f.streamId() == streamId) {
                got.write(f.payload());
            }
        }
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static byte[] unmaskedText(String text) {
        byte[] payload = text.getBytes(UTF_8);
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private static byte[] maskedClose() {
        // code 1000, masked with a zero key
        return new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8};
    }
}
