package dev.ladle.examples.chat;

import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.server.Server;
import dev.ladle.websocket.WebSocketGroup;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** A WebSocket chat room behind Basic auth: each text a member sends goes to every member, signed with the sender's name. */
public final class ChatService {
    /** Serves the room at {@code /chat} on the loopback address at {@code port} (0 picks a free one), for these users. */
    public static Server start(int port, Map<String, String> passwords) throws IOException {
        WebSocketGroup room = new WebSocketGroup();
        Server server = new Server();
        server.addAuthDomain(new BasicAuthDomain("chat",
                (domain, msg, user, password) -> password.equals(passwords.get(user)), "/chat"));
        server.addWebSocketHandler("/chat", (srv, msg, path, conn) -> {
            room.add(conn);
            conn.onText(text -> room.sendText(msg.getAuthUser() + ": " + text));
        });
        server.listenLocal(port, Set.of());
        return server;
    }

    /** Runs the room on port 8080, for alice and bob, until the process is stopped. */
    public static void main(String[] args) throws IOException {
        System.out.println("chat at " + start(8080, Map.of("alice", "wonderland", "bob", "builder")).getUris().get(0) + "chat");
    }
}
