package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.websocket.DataType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MockServer's WebSocket endpoints against the JDK WebSocket client. */
@Timeout(30)
class MockWebSocketTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    /** A JDK client that queues the text it receives. */
    private static final class Inbox implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String s = texts.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("a text message within 10 s").isNotNull();
            return s;
        }
    }

    private WebSocket connect(String path, Inbox inbox) {
        return client.newWebSocketBuilder().buildAsync(server.webSocketUri(path), inbox).join();
    }

    @Test
    void clientMessagesAreRecordedAndAnsweredByTheReplyFunction() throws Exception {
        MockWebSocket chat = server.onWebSocket("/chat").replyWith(text -> "echo: " + text);
        Inbox inbox = new Inbox();
        WebSocket ws = connect("/chat", inbox);
        ws.sendText("hello", true).join();
        assertThat(inbox.next()).isEqualTo("echo: hello");
        MockWebSocket.Message m = chat.takeMessage();
        assertThat(m.type()).isEqualTo(DataType.TEXT);
        assertThat(m.text()).isEqualTo("hello");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void binaryMessagesAreRecordedButNotAnswered() throws Exception {
        MockWebSocket bin = server.onWebSocket("/bin").echo();
        Inbox inbox = new Inbox();
        WebSocket ws = connect("/bin", inbox);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        MockWebSocket.Message m = bin.takeMessage();
        assertThat(m.type()).isEqualTo(DataType.BINARY);
        assertThat(m.data()).containsExactly(1, 2, 3);
        ws.sendText("t", true).join();
        assertThat(inbox.next()).isEqualTo("t"); // the text echo is the first thing the client got
    }

    @Test
    void testCanPushOnTheServerSideOfAConnection() throws Exception {
        MockWebSocket feed = server.onWebSocket("/feed");
        Inbox inbox = new Inbox();
        connect("/feed", inbox);
        feed.awaitConnection().sendText("tick 1");
        assertThat(inbox.next()).isEqualTo("tick 1");
        Inbox second = new Inbox();
        connect("/feed", second);
        feed.awaitConnection();
        feed.sendTextToAll("all");
        assertThat(inbox.next()).isEqualTo("all");
        assertThat(second.next()).isEqualTo("all");
        assertThat(feed.connections()).hasSize(2);
    }

    @Test
    void handshakeIsRecordedInTheJournal() {
        server.onWebSocket("/ws");
        connect("/ws", new Inbox());
        RecordedRequest handshake = server.takeRequest();
        assertThat(handshake.method()).isEqualTo("GET");
        assertThat(handshake.path()).isEqualTo("/ws");
        assertThat(handshake.header("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(handshake.matchedBy()).isEqualTo("websocket /ws");
        server.assertNoUnmatchedRequests();
    }

    @Test
    void plainRequestsElsewhereStillReachTheStubs() throws Exception {
        server.onWebSocket("/ws");
        server.onGet("/plain").respond(200, "text/plain", "ok");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/plain")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("ok");
    }

    @Test
    void waitingForNothingFailsWithAnAssertionError() {
        MockWebSocket idle = server.onWebSocket("/idle");
        assertThatThrownBy(() -> idle.awaitConnection(Duration.ofMillis(100))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no WebSocket client connected to /idle");
        assertThatThrownBy(() -> idle.takeMessage(Duration.ofMillis(100))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no WebSocket message arrived at /idle");
    }

    @Test
    void sameEndpointForTheSamePathAndResetClosesConnections() throws Exception {
        MockWebSocket first = server.onWebSocket("/same");
        assertThat(server.onWebSocket("/same")).isSameAs(first);
        BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        client.newWebSocketBuilder().buildAsync(server.webSocketUri("/same"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.add(code);
                return null;
            }
        }).join();
        first.awaitConnection();
        server.reset();
        assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(server.onWebSocket("/same")).isNotSameAs(first);
    }

    @Test
    void webSocketUriUsesTheWsScheme() {
        assertThat(server.webSocketUri("/x?y=1").toString()).isEqualTo("ws://127.0.0.1:" + server.port() + "/x?y=1");
    }
}
