package dev.ladle.junit;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A WebSocket endpoint of a {@link MockServer}, from {@link MockServer#onWebSocket}: it accepts every
 * handshake at its path, records the messages clients send, can answer text messages by itself, and
 * hands out the server side of each connection so a test can push messages.
 *
 * <pre>{@code
 * MockWebSocket chat = server.onWebSocket("/chat").replyWith(text -> "echo: " + text);
 * myClient.connect(server.uri("/chat"));            // ws:// URI: server.webSocketUri("/chat")
 * assertThat(chat.takeMessage().text()).isEqualTo("hello");
 * chat.awaitConnection().sendText("pushed by the test");
 * }</pre>
 */
public final class MockWebSocket {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A message a client sent.
     *
     * @param type text or binary
     * @param data the payload (UTF-8 for text)
     * @param connection the server side of the connection it came on
     */
    public record Message(DataType type, byte[] data, WebSocketConnection connection) {
        /** The payload as text (UTF-8). */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final String path;
    private final List<WebSocketConnection> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<WebSocketConnection> untakenConnections = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private volatile Function<String, String> textReply;

    MockWebSocket(String path) {
        this.path = path;
    }

    /** The path clients connect to. */
    public String path() {
        return path;
    }

    /**
     * Answers every text message with what {@code reply} makes of it (null: no answer), on the
     * connection it came on. Binary messages are only recorded.
     */
    public MockWebSocket replyWith(Function<String, String> reply) {
        this.textReply = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /** Sends every text message back unchanged. */
    public MockWebSocket echo() {
        return replyWith(text -> text);
    }

    /** Every connection accepted so far, open or closed, in order. */
    public List<WebSocketConnection> connections() {
        return List.copyOf(connections);
    }

    /** The oldest connection not yet taken, waiting up to 10 seconds for a client to connect. */
    public WebSocketConnection awaitConnection() {
        return awaitConnection(DEFAULT_TIMEOUT);
    }

    /**
     * The oldest connection not yet taken, waiting up to {@code timeout}.
     *
     * @throws AssertionError when no client connects in time
     */
    public WebSocketConnection awaitConnection(Duration timeout) {
        WebSocketConnection c = Checks.poll(untakenConnections, timeout);
        if (c == null) {
            throw new AssertionError("no WebSocket client connected to " + path + " within " + timeout);
        }
        return c;
    }

    /** The oldest message not yet taken, waiting up to 10 seconds. */
    public Message takeMessage() {
        return takeMessage(DEFAULT_TIMEOUT);
    }

    /**
     * The oldest message not yet taken, from any connection, waiting up to {@code timeout}.
     *
     * @throws AssertionError when none arrives in time
     */
    public Message takeMessage(Duration timeout) {
        Message m = Checks.poll(messages, timeout);
        if (m == null) {
            throw new AssertionError("no WebSocket message arrived at " + path + " within " + timeout + " ("
                    + connections.size() + " connections)");
        }
        return m;
    }

    /** Sends {@code text} on every open connection. */
    public void sendTextToAll(String text) {
        for (WebSocketConnection c : connections) {
            if (c.getState() == WebSocketState.OPEN) {
                c.sendText(text);
            }
        }
    }

    /** Takes over a connection the server accepted: records its messages and answers them. */
    void accept(WebSocketConnection connection) {
        connection.onMessage((type, data) -> {
            messages.add(new Message(type, data, connection));
            Function<String, String> reply = textReply;
            if (reply != null && type == DataType.TEXT) {
                String answer = reply.apply(new String(data, StandardCharsets.UTF_8));
                if (answer != null) {
                    connection.sendText(answer);
                }
            }
        });
        connections.add(connection);
        untakenConnections.add(connection);
    }

    /** Closes every connection still open (when the server stops or forgets this endpoint). */
    void closeAll() {
        for (WebSocketConnection c : connections) {
            if (c.getState() == WebSocketState.OPEN) {
                c.close(CloseCode.GOING_AWAY, "mock server reset");
            }
        }
    }

    /** For messages: the path and how many connections it has. */
    @Override
    public String toString() {
        return "WebSocket " + path + " (" + connections.size() + " connections)";
    }
}
