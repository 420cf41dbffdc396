package dev.ladle.websocket;

/** An open WebSocket connection (RFC 6455). */
public class WebSocketConnection {
    /** Creates a connection. */
    public WebSocketConnection() {
    }
}
