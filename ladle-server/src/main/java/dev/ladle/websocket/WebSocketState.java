package dev.ladle.websocket;

/** The life cycle of a {@link WebSocketConnection}: it only moves forward. */
public enum WebSocketState {
    /** Messages can be sent and received. */
    OPEN,
    /** A close frame was sent or received; the closing handshake is under way and no more messages can be sent. */
    CLOSING,
    /** The connection is closed. */
    CLOSED
}
