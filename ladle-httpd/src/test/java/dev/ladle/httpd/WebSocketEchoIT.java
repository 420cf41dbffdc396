package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ws-echo with --ws-max-message, --ws-origin and --ws-protocol, driven by the JDK WebSocket client. */
class WebSocketEchoIT {
    @TempDir
    Path dir;

    /** Collects what the server sends: text as String, binary as byte[], a close as "close CODE". */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            received.add("close " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            received.add("error " + error);
        }

        Object next() throws InterruptedException {
            Object item = received.poll(30, TimeUnit.SECONDS);
            assertThat(item).as("a message within 30 s").isNotNull();
            return item;
        }
    }

    private static URI ws(HttpdProcess httpd, String path) {
        return URI.create("ws://" + httpd.uri().getHost() + ":" + httpd.uri().getPort() + path);
    }

    @Test
    void textAndBinaryMessagesComeBack() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            Collector collector = new Collector();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(ws(httpd, "/ws"), collector).get(30, TimeUnit.SECONDS);
            socket.sendText("héllo", true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("héllo");
            socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}), true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo(new byte[] {0, 1, 2, (byte) 255});
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("close 1000");
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
            Collector collector = new Collector();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(ws(httpd, "/ws"), collector).get(30, TimeUnit.SECONDS);
            socket.sendText("x".repeat(1024), true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("x".repeat(1024));
            socket.sendText("x".repeat(1025), true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("close 1009");
        }
    }

    @Test
    void aFourMebibyteMessageComesBackUnderTheDefaultLimit() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            Collector collector = new Collector();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(ws(httpd, "/ws"), collector).get(30, TimeUnit.SECONDS);
            byte[] big = new byte[4 << 20];
            new java.util.Random(1).nextBytes(big);
            socket.sendBinary(ByteBuffer.wrap(big), true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo(big);
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
            Collector collector = new Collector();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .subprotocols("v1.echo", "v2.echo")
                    .buildAsync(ws(httpd, "/ws"), collector).get(30, TimeUnit.SECONDS);
            assertThat(socket.getSubprotocol()).isEqualTo("v2.echo");
            CompletableFuture<WebSocket> sent = socket.sendText("hi", true);
            sent.get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("hi");
        }
    }

    @Test
    void aStopClosesOpenConnectionsWithGoingAwayWithoutWaiting() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--ws-echo", "/ws")) {
            Collector collector = new Collector();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(ws(httpd, "/ws"), collector).get(30, TimeUnit.SECONDS);
            // one echo first: the server side is then surely past the handshake and reading frames
            socket.sendText("ready", true).get(30, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("ready");
            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(collector.next()).isEqualTo("close 1001");
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
