package dev.ladle.server.internal.http2;

/**
 * Frame type codes (RFC 9113 §6), kept as {@code int}s so the reader can dispatch with a switch on the
 * wire value without boxing or a lookup.
 */
final class FrameType {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    private FrameType() {
    }
}
