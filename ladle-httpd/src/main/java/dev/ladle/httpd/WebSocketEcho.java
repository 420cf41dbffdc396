package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketState;
import java.util.List;

/**
 * {@code --ws-echo PATH}: a WebSocket endpoint that sends every text and binary message back as it
 * came. permessage-deflate is on (the server registers it by default); messages over
 * {@code --ws-max-message} close the connection with 1009. On a graceful stop the server closes open
 * connections with 1001 (going away).
 */
final class WebSocketEcho {
    private WebSocketEcho() {
    }

    /**
     * Adds the endpoint to {@code server}.
     *
     * @param origin the {@code Origin} clients must send, or null for any
     * @param protocols the sub-protocols to accept, most preferred first; empty for no check
     * @param maxMessage the largest incoming message, in bytes
     */
    static void install(Server server, String path, String origin, List<String> protocols, long maxMessage) {
        server.addWebSocketHandler(path, origin, protocols.isEmpty() ? null : List.copyOf(protocols),
                (srv, msg, p, connection) -> {
                    connection.setMaxIncomingPayloadSize(maxMessage);
                    connection.onMessage((type, data) -> echo(connection, type, data));
                });
    }

    private static void echo(WebSocketConnection connection, DataType type, byte[] data) {
        if (connection.getState() != WebSocketState.OPEN) {
            // the server is closing this connection (a stop): late messages are not answered
            return;
        }
        try {
            connection.sendMessage(type, data);
        } catch (IllegalStateException closedMeanwhile) {
            // the connection began closing between the check and the send
        }
    }
}
