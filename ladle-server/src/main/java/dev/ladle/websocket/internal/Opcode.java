package dev.ladle.websocket.internal;

/** Frame opcodes of RFC 6455 section 5.2. */
public final class Opcode {
    /** Continues a fragmented message. */
    public static final int CONTINUATION = 0x0;
    /** Starts a text message. */
    public static final int TEXT = 0x1;
    /** Starts a binary message. */
    public static final int BINARY = 0x2;
    /** Closes the connection. */
    public static final int CLOSE = 0x8;
    /** Asks for a pong. */
    public static final int PING = 0x9;
    /** Answers a ping (or is a heartbeat on its own). */
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Returns true for close, ping and pong (opcodes 0x8 and up). */
    public static boolean isControl(int opcode) {
        return opcode >= CLOSE;
    }

    /** Returns true for the opcodes RFC 6455 defines; the others are reserved. */
    public static boolean isKnown(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }
}
