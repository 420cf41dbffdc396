package dev.ladle.server;

import dev.ladle.websocket.WebSocketConnection;

/**
 * Called with the open connection once a WebSocket handshake at the handler's path succeeded and the
 * {@code 101} response was written. Runs on the connection's thread before it starts reading frames;
 * keep a reference to {@code conn} and subscribe to its events, then return.
 */
@FunctionalInterface
public interface WebSocketCallback {
    /**
     * Takes over a new WebSocket connection.
     *
     * @param server the server
     * @param msg the handshake request and its 101 response
     * @param path the request path
     * @param conn the open connection
     */
    void handle(Server server, ServerMessage msg, String path, WebSocketConnection conn);
}
