package dev.ladle.examples.guide.websocket;

import dev.ladle.server.Server;
import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.DeflateExtension;
import dev.ladle.websocket.WebSocketGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The guide's WebSocket chapter: an echo endpoint and a chat room that broadcasts. */
public final class ChatServer {
    private ChatServer() {
    }

    /** Starts the server on the loopback addresses at {@code port}; 0 picks a free port. */
    public static Server start(int port) throws IOException {
        Server server = new Server();

        // tag::echo[]
        server.addWebSocketHandler("/echo", (srv, msg, path, conn) -> {
            conn.onText(text -> conn.sendText(text));
            conn.onBinary(data -> conn.sendBinary(data));
            conn.onClosed(() -> System.out.println("closed with " + conn.getCloseCode() + " " + conn.getCloseData()));
        });
        // end::echo[]

        // tag::chat[]
        WebSocketGroup room = new WebSocketGroup();
        server.addWebSocketHandler("/chat", "https://chat.example", List.of("chat.v2", "chat.v1"), (srv, msg, path, conn) -> {
            conn.setKeepaliveInterval(Duration.ofSeconds(30));    // ping every 30 s ...
            conn.setKeepalivePongTimeout(Duration.ofSeconds(10)); // ... and close (1008) when no pong in 10 s
            conn.sendText("welcome; you speak " + conn.getProtocol() + ", " + room.size() + " others here");
            room.add(conn); // leaves by itself when the connection closes
            conn.onText(text -> {
                if (text.equals("/quit")) {
                    conn.close(CloseCode.NORMAL, "bye");
                } else {
                    room.sendText(text); // to every member, the sender included
                }
            });
        });
        // end::chat[]

        server.listenLocal(port, Set.of());
        return server;
    }

    /** Turns off permessage-deflate, which every server offers by default. */
    public static void withoutCompression(Server server) {
        // tag::no-deflate[]
        server.removeWebSocketExtension(DeflateExtension.class);
        // end::no-deflate[]
    }
}
