package dev.ladle.websocket.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 section 4. */
public final class HandshakeKeys {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private HandshakeKeys() {
    }

    /** Returns true when {@code key} is base64 for exactly 16 bytes. */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Returns the {@code Sec-WebSocket-Accept} value for {@code key}: base64(SHA-1(key + GUID)). */
    public static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest's specification).
            throw new IllegalStateException(e);
        }
    }
}
