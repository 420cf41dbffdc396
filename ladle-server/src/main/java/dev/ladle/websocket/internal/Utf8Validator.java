package dev.ladle.websocket.internal;

/**
 * Checks UTF-8 incrementally (RFC 3629), so a text message split into fragments fails at the first bad
 * byte rather than after it was all received. Rejects overlong forms, surrogates and code points
 * above U+10FFFF.
 */
public final class Utf8Validator {
    private int pending;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Returns true when {@code length} bytes of {@code bytes} from {@code offset} continue valid UTF-8 so far. */
    public boolean feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (pending == 0) {
                if (b < 0x80) {
                    continue;
                }
                if (!start(b)) {
                    return false;
                }
            } else {
                if (b < lower || b > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                pending--;
            }
        }
        return true;
    }

    private boolean start(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            pending = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            pending = 2;
            // E0 would be overlong below A0; ED above 9F would be a surrogate.
            lower = b == 0xE0 ? 0xA0 : 0x80;
            upper = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            pending = 3;
            // F0 would be overlong below 90; F4 above 8F would pass U+10FFFF.
            lower = b == 0xF0 ? 0x90 : 0x80;
            upper = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        return true;
    }

    /** Returns true when the bytes fed so far end on a character boundary. */
    public boolean isComplete() {
        return pending == 0;
    }

    /** Forgets everything fed so far. */
    public void reset() {
        pending = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    /** Returns true when the whole of {@code bytes} is valid UTF-8. */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(bytes, offset, length) && v.isComplete();
    }
}
