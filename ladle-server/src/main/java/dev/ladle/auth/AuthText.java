package dev.ladle.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Conversions between Java strings and header text. Header values are held one char per wire byte
 * (ISO-8859-1), while auth parameters such as realms and user names travel as UTF-8 (the
 * {@code charset="UTF-8"} both schemes announce), so text crossing the wire is re-coded here.
 */
final class AuthText {
    private AuthText() {
    }

    /** Returns the header form of {@code text}: its UTF-8 bytes, one char per byte. */
    static String toWire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns the bytes a client hashed for header text: the wire bytes when every char fits in a byte
     * (the parser's ISO-8859-1 view), otherwise UTF-8.
     */
    static byte[] wireBytes(String headerText) {
        for (int i = 0; i < headerText.length(); i++) {
            if (headerText.charAt(i) > 0xFF) {
                return headerText.getBytes(StandardCharsets.UTF_8);
            }
        }
        return headerText.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Decodes header text as UTF-8; returns null when its bytes are not valid UTF-8. */
    static String fromWire(String headerText) {
        return decodeUtf8(wireBytes(headerText));
    }

    /** Decodes {@code bytes} as strict UTF-8; returns null when they are not valid UTF-8. */
    static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Returns {@code value} as an RFC 9110 quoted-string. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Returns true when {@code text} holds a control character (C0, DEL or C1). */
    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compares two secrets in time that depends on neither their contents nor their lengths: both are
     * hashed first, so {@link MessageDigest#isEqual} always compares 32 bytes.
     */
    static boolean secretsEqual(String a, String b) {
        MessageDigest sha = sha256();
        byte[] ha = sha.digest(a.getBytes(StandardCharsets.UTF_8));
        byte[] hb = sha.digest(b.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(ha, hb);
    }

    /** Returns a new SHA-256 digest; every JDK has one. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
