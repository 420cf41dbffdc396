package dev.ladle.server.internal.http2;

/** Frame flag bits (RFC 9113 §6); which ones apply depends on the frame type. */
final class FrameFlags {
    /** DATA, HEADERS: the last frame the sender will send on this stream. */
    static final int END_STREAM = 0x1;
    /** SETTINGS, PING: an acknowledgement. Same bit as END_STREAM. */
    static final int ACK = 0x1;
    /** HEADERS, CONTINUATION: the field block ends in this frame. */
    static final int END_HEADERS = 0x4;
    /** DATA, HEADERS: a pad length byte and padding are present. */
    static final int PADDED = 0x8;
    /** HEADERS: the stream dependency and weight fields are present. */
    static final int PRIORITY = 0x20;

    private FrameFlags() {
    }
}
