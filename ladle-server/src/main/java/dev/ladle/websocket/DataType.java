package dev.ladle.websocket;

/** The kind of a WebSocket data message (RFC 6455 section 5.6). */
public enum DataType {
    /** A text message: its payload is UTF-8 (opcode 0x1). */
    TEXT,
    /** A binary message (opcode 0x2). */
    BINARY
}
