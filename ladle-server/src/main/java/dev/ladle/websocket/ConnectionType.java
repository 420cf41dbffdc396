package dev.ladle.websocket;

/** Which end of a WebSocket connection this side is; it decides masking (RFC 6455 section 5.3). */
public enum ConnectionType {
    /** The server end: receives masked frames, sends unmasked ones. */
    SERVER,
    /** The client end: sends masked frames, receives unmasked ones. */
    CLIENT
}
