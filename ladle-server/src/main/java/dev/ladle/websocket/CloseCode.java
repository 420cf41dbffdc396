package dev.ladle.websocket;

/**
 * Close codes of RFC 6455 section 7.4, as {@code int} constants for
 * {@link WebSocketConnection#close(int, String)} and {@link WebSocketConnection#getCloseCode()}.
 * Applications may also use codes 3000 to 4999.
 */
public final class CloseCode {
    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer violated the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this type of data. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reserved; a close frame without a code. Passing it to {@code close} sends an empty close frame. */
    public static final int NO_STATUS = 1005;
    /** 1006: reserved; the connection ended without a close frame. Never sent. */
    public static final int ABNORMAL = 1006;
    /** 1007: a message's data did not match its type (invalid UTF-8 in text). */
    public static final int BAD_DATA = 1007;
    /** 1008: a message violated the endpoint's policy (also: no pong within the keepalive pong timeout). */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int TOO_BIG = 1009;
    /** 1010: the client expected the server to negotiate an extension it did not. */
    public static final int NO_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int SERVER_ERROR = 1011;
    /** 1015: reserved; the TLS handshake failed. Never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCode() {
    }

    /**
     * Returns true when {@code code} may appear in a close frame: 1000-1003, 1007-1014 (the codes
     * registered with IANA, including 1012 service restart, 1013 try again later and 1014 bad gateway)
     * and the application range 3000-4999.
     */
    public static boolean isValid(int code) {
        return (code >= NORMAL && code <= UNSUPPORTED_DATA)
                || (code >= BAD_DATA && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
