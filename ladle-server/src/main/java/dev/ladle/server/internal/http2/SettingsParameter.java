package dev.ladle.server.internal.http2;

/** SETTINGS parameter identifiers (RFC 9113 §6.5.2, RFC 8441 §3) and the protocol's fixed bounds. */
final class SettingsParameter {
    static final int HEADER_TABLE_SIZE = 0x1;
    static final int ENABLE_PUSH = 0x2;
    static final int MAX_CONCURRENT_STREAMS = 0x3;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    static final int MAX_FRAME_SIZE = 0x5;
    static final int MAX_HEADER_LIST_SIZE = 0x6;
    static final int ENABLE_CONNECT_PROTOCOL = 0x8;

    /** The initial value of MAX_FRAME_SIZE and its lower bound. */
    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    /** The upper bound of MAX_FRAME_SIZE, 2^24-1. */
    static final int MAX_MAX_FRAME_SIZE = 16_777_215;
    /** The initial flow-control window of streams and of the connection. */
    static final int DEFAULT_WINDOW_SIZE = 65_535;
    /** The largest flow-control window, 2^31-1. */
    static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;
    /** The initial HPACK table size. */
    static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

    private SettingsParameter() {
    }
}
