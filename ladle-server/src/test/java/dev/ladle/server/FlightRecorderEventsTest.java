package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.internal.jfr.ConnectionEvent;
import dev.ladle.server.internal.jfr.RequestEvent;
import dev.ladle.server.internal.jfr.WebSocketMessageEvent;
import dev.ladle.websocket.WebSocketConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: the server's Flight Recorder events ({@code dev.ladle.Request}, {@code
 * dev.ladle.Connection}, {@code dev.ladle.WebSocketMessage}) are recorded when a recording enables them,
 * and are off (no event object made) otherwise. Each event is committed before a server event the test
 * waits for, so the recording is stopped only once they are in.
 */
@Timeout(60)
class FlightRecorderEventsTest {
    @TempDir
    Path dir;

    private Server server;
    private URI base;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private final BlockingQueue<WebSocketConnection> webSockets = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/hello", (s, msg, path, query) -> {
            msg.onDisconnected(disconnected::countDown);
            msg.setResponse("text/plain", "hello".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.addWebSocketHandler("/echo", null, null, (s, msg, path, conn) -> {
            conn.onMessage(conn::sendMessage);
            webSockets.add(conn);
        });
        server.onRequestFinished(msg -> finished.countDown());
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<RecordedEvent> events(Recording recording, String name) throws Exception {
        Path file = dir.resolve("ladle.jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void aRequestAndItsConnectionAreRecordedWithTheirFields() throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable(RequestEvent.NAME);
            recording.enable(ConnectionEvent.NAME);
            recording.start();
            try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
                assertThat(client.get("/hello?x=1").status()).isEqualTo(200);
            }
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
            recording.stop();

            List<RecordedEvent> requests = events(recording, "dev.ladle.Request");
            assertThat(requests).hasSize(1);
            RecordedEvent request = requests.get(0);
            assertThat(request.getString("method")).isEqualTo("GET");
            assertThat(request.getString("path")).isEqualTo("/hello");
            assertThat(request.getString("protocol")).isEqualTo("HTTP/1.1");
            assertThat(request.getInt("status")).isEqualTo(200);
            assertThat(request.getLong("responseContentLength")).isEqualTo(5);
            assertThat(request.getBoolean("aborted")).isFalse();
            assertThat(request.getDuration().isNegative()).isFalse();

            List<RecordedEvent> connections = events(recording, "dev.ladle.Connection");
            assertThat(connections).hasSize(1);
            assertThat(connections.get(0).getString("remoteAddress")).contains("127.0.0.1");
            assertThat(connections.get(0).getBoolean("secure")).isFalse();
            assertThat(connections.get(0).getDuration()).isGreaterThanOrEqualTo(request.getDuration());
        }
    }

    @Test
    void webSocketMessagesAreRecordedBothWays() throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable(WebSocketMessageEvent.NAME);
            recording.start();
            CountDownLatch echoed = new CountDownLatch(1);
            URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/echo");
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    echoed.countDown();
                    return WebSocket.Listener.super.onText(webSocket, data, last);
                }
            }).get(10, TimeUnit.SECONDS);
            WebSocketConnection conn = webSockets.poll(10, TimeUnit.SECONDS);
            assertThat(conn).isNotNull();
            CountDownLatch closed = new CountDownLatch(1);
            conn.onClosed(closed::countDown);
            client.sendText("twelve bytes", true).get(10, TimeUnit.SECONDS);
            assertThat(echoed.await(10, TimeUnit.SECONDS)).isTrue();
            client.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            // the reader thread commits a received message's event before it goes on to the close
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            recording.stop();

            List<RecordedEvent> messages = events(recording, "dev.ladle.WebSocketMessage");
            assertThat(messages).extracting(e -> e.getBoolean("sent")).containsExactlyInAnyOrder(false, true);
            assertThat(messages).allSatisfy(e -> {
                assertThat(e.getString("type")).isEqualTo("TEXT");
                assertThat(e.getLong("size")).isEqualTo(12);
            });
        }
    }

    @Test
    void theEventsAreOffUnlessARecordingEnablesThem() throws Exception {
        try (Recording recording = new Recording()) {
            // a recording that enables nothing of Ladle's: the events' @Enabled(false) holds
            recording.start();
            assertThat(RequestEvent.beginIfEnabled()).isNull();
            assertThat(ConnectionEvent.beginIfEnabled()).isNull();
            assertThat(WebSocketMessageEvent.beginIfEnabled()).isNull();
            try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
                assertThat(client.get("/hello").status()).isEqualTo(200);
            }
            assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
            recording.stop();
            assertThat(events(recording, "dev.ladle.Request")).isEmpty();
        }
    }
}
