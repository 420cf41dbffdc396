package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ws-echo with --ws-max-message, --ws-origin and --ws-protocol, driven by the JDK WebSocket client. */
class WebSocketEchoIT {
    @TempDir
    Path dir;

    private static URI ws(HttpdProcess httpd, String path) {
        return URI.create("ws://" + httpd.uri().getHost() + ":" + httpd.uri().getPort() + path);
    }

    @Test
    void textAndBinaryMessagesComeBack() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            WebSocketSession session = WebSocketSession.open(ws(httpd, "/ws"));
            WebSocket socket = session.socket();
            socket.sendText("héllo", true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("héllo");
            socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}), true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo(new byte[] {0, 1, 2, (byte) 255});
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("close 1000");
        }
    }

    @Test
    void permessageDeflateIsNegotiated() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            String response = Clients.raw(httpd.uri(), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n" + closeFrame());
            assertThat(response).startsWith("HTTP/1.1 101 ")
                    .containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    /** A masked close frame with code 1000, so the raw exchange above ends. */
    private static String closeFrame() {
        return new String(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8},
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void aMessageOverWsMaxMessageClosesWith1009() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws", "--ws-max-message", "1k")) {
            WebSocketSession session = WebSocketSession.open(ws(httpd, "/ws"));
            WebSocket socket = session.socket();
            socket.sendText("x".repeat(1024), true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("x".repeat(1024));
            socket.sendText("x".repeat(1025), true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("close 1009");
        }
    }

    @Test
    void aFourMebibyteMessageComesBackUnderTheDefaultLimit() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            WebSocketSession session = WebSocketSession.open(ws(httpd, "/ws"));
            WebSocket socket = session.socket();
            byte[] big = new byte[4 << 20];
            new java.util.Random(1).nextBytes(big);
            socket.sendBinary(ByteBuffer.wrap(big), true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo(big);
        }
    }

    @Test
    void wsOriginRefusesOtherOrigins() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws", "--ws-origin", "https://good.example")) {
            String request = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: %s\r\n\r\n";
            assertThat(Clients.status(Clients.raw(httpd.uri(), String.format(request, "https://evil.example"))))
                    .isEqualTo(403);
            assertThat(Clients.raw(httpd.uri(), String.format(request, "https://good.example") + closeFrame()))
                    .startsWith("HTTP/1.1 101 ");
        }
    }

    @Test
    void wsProtocolPicksTheServersPreferredProtocol() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws", "--ws-protocol", "v2.echo", "--ws-protocol", "v1.echo")) {
            WebSocketSession session = WebSocketSession.open(ws(httpd, "/ws"), "v1.echo", "v2.echo");
            WebSocket socket = session.socket();
            assertThat(socket.getSubprotocol()).isEqualTo("v2.echo");
            CompletableFuture<WebSocket> sent = socket.sendText("hi", true);
            sent.get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("hi");
        }
    }

    @Test
    void aStopClosesOpenConnectionsWithGoingAwayWithoutWaiting() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            WebSocketSession session = WebSocketSession.open(ws(httpd, "/ws"));
            WebSocket socket = session.socket();
            // one echo first: the server side is then surely past the handshake and reading frames
            socket.sendText("ready", true).get(30, TimeUnit.SECONDS);
            assertThat(session.next()).isEqualTo("ready");
            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(session.next()).isEqualTo("close 1001");
            assertThat(httpd.awaitExit()).isZero();
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to stop").isLessThan(5000);
        }
    }

    @Test
    void aPlainGetOnTheWebSocketPathIsRefused() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            assertThat(Clients.get(httpd.uri(), "/ws").statusCode()).isEqualTo(400);
        }
    }
}
