package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketState;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --ws-echo PATH}: a WebSocket endpoint that sends every text and binary message back as it
 * came. permessage-deflate is on (the server registers it by default); messages over
 * {@code --ws-max-message} close the connection with 1009. On a graceful stop every open connection
 * is closed with 1001 (going away), so clients learn why and the stop does not wait for them.
 */
final class WebSocketEcho {
    private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();

    /**
     * Adds the endpoint to {@code server}.
     *
     * @param origin the {@code Origin} clients must send, or null for any
     * @param protocols the sub-protocols to accept, most preferred first; empty for no check
     * @param maxMessage the largest incoming message, in bytes
     */
    static WebSocketEcho install(Server server, String path, String origin, List<String> protocols, long maxMessage) {
        WebSocketEcho echo = new WebSocketEcho();
        server.addWebSocketHandler(path, origin, protocols.isEmpty() ? null : List.copyOf(protocols),
                (srv, msg, p, connection) -> echo.serve(connection, maxMessage));
        return echo;
    }

    private void serve(WebSocketConnection connection, long maxMessage) {
        connection.setMaxIncomingPayloadSize(maxMessage);
        open.add(connection);
        connection.onClosed(() -> open.remove(connection));
        connection.onMessage((type, data) -> echo(connection, type, data));
    }

    private static void echo(WebSocketConnection connection, DataType type, byte[] data) {
        if (connection.getState() != WebSocketState.OPEN) {
            // we are closing (a stop): the peer's late messages are not answered
            return;
        }
        try {
            connection.sendMessage(type, data);
        } catch (IllegalStateException closedMeanwhile) {
            // the connection began closing between the check and the send
        }
    }

    /** Closes every open connection with 1001 (going away); called when the server stops. */
    void closeAll() {
        for (WebSocketConnection connection : open) {
            try {
                connection.close(CloseCode.GOING_AWAY, "server stopping");
            } catch (IllegalStateException alreadyClosing) {
                // closed by the peer meanwhile
            }
        }
    }
}
