package dev.ladle.examples.guide.websocket;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket chapter's endpoints, driven by the JDK's WebSocket client and raw handshakes. */
class ChatServerTest {
    private Server server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = ChatServer.start(0);
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        server.close(); // ends the WebSockets still open, which HttpClient.close() would wait for
        client.shutdownNow();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.getPort() + path);
    }

    /** A JDK WebSocket listener that queues what arrives: texts, byte arrays, and "closed CODE REASON". */
    static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(bytes);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add("closed " + statusCode + " " + reason);
            return null;
        }

        Object next() throws InterruptedException {
            Object next = received.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("a message arrived").isNotNull();
            return next;
        }
    }

    private WebSocket chat(Recorder recorder, String origin, String... protocols) throws Exception {
        WebSocket.Builder builder = client.newWebSocketBuilder().header("Origin", origin);
        if (protocols.length > 0) {
            builder.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
        }
        return builder.buildAsync(ws("/chat"), recorder).get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoSendsTextAndBinaryBackAndClosesWithTheClientsCode() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(ws("/echo"), recorder).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(recorder.next()).isEqualTo("hello");
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat((byte[]) recorder.next()).containsExactly(1, 2, 3);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(recorder.next()).as("the server answers the close with the same code and reason").isEqualTo("closed 1000 done");
    }

    @Test
    void theChatPicksTheServersPreferredProtocolAndBroadcastsToEveryMember() throws Exception {
        Recorder ada = new Recorder();
        WebSocket.Listener listener = ada;
        // tag::client[]
        WebSocket adaSocket = client.newWebSocketBuilder()
                .header("Origin", "https://chat.example")
                .subprotocols("chat.v1", "chat.v2")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.getPort() + "/chat"), listener)
                .get(10, TimeUnit.SECONDS);
        // end::client[]
        assertThat(adaSocket.getSubprotocol()).as("the server's first choice among the offers").isEqualTo("chat.v2");
        assertThat(ada.next()).isEqualTo("welcome; you speak chat.v2, 0 others here");

        Recorder grace = new Recorder();
        WebSocket graceSocket = chat(grace, "https://chat.example", "chat.v1");
        assertThat(graceSocket.getSubprotocol()).isEqualTo("chat.v1");
        assertThat(grace.next()).isEqualTo("welcome; you speak chat.v1, 1 others here");

        graceSocket.sendText("hi all", true).get(10, TimeUnit.SECONDS);
        assertThat(ada.next()).isEqualTo("hi all");
        assertThat(grace.next()).isEqualTo("hi all");

        adaSocket.sendText("/quit", true).get(10, TimeUnit.SECONDS);
        assertThat(ada.next()).isEqualTo("closed 1000 bye");
    }

    @Test
    void anotherOriginIsRefusedWith403() {
        Throwable failure = catchFailure(() -> chat(new Recorder(), "https://evil.example", "chat.v1"));
        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(403);
    }

    @Test
    void noCommonSubProtocolIsRefusedWith400() {
        Throwable failure = catchFailure(() -> chat(new Recorder(), "https://chat.example", "chat.v3"));
        assertThat(((WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(400);
    }

    @Test
    void offeringNoSubProtocolIsAcceptedWithoutOne() throws Exception {
        Recorder recorder = new Recorder();
        assertThat(chat(recorder, "https://chat.example").getSubprotocol()).isEmpty();
        assertThat(recorder.next()).isEqualTo("welcome; you speak null, 0 others here");
    }

    @Test
    void permessageDeflateIsNegotiatedUntilRemoved() throws Exception {
        assertThat(handshake()).startsWith("HTTP/1.1 101 ").containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate");
        ChatServer.withoutCompression(server);
        assertThat(handshake()).startsWith("HTTP/1.1 101 ").doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
    }

    private String handshake() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").getBytes(ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static Throwable catchFailure(Attempt attempt) {
        try {
            attempt.run();
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("the handshake succeeded");
    }
}
