package dev.ladle.websocket;

/**
 * A WebSocket extension negotiated in the handshake (RFC 6455 section 9). Each connection that
 * negotiates the extension gets its own instance, created through the public no-argument constructor
 * of the class registered with {@code Server.addWebSocketExtension}.
 */
public abstract class WebSocketExtension {
    /** Creates an extension instance. */
    protected WebSocketExtension() {
    }

    /** Returns the extension token, for example {@code permessage-deflate}. */
    public abstract String getName();
}
