package dev.ladle.http;

/** Character classes of RFC 9110's grammar, as lookup tables. */
public final class Tokens {
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {
    }

    /** Returns true when {@code b} (an unsigned byte or char below 256) is a {@code tchar}. */
    public static boolean isTokenChar(int b) {
        return b >= 0 && b < 256 && TCHAR[b];
    }

    /** Returns true when {@code s} is a non-empty {@code token}. */
    public static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns true when {@code b} may appear in a field value: visible ASCII, space, tab or obs-text
     * (0x80-0xFF). Control characters, including CR, LF and NUL, may not.
     */
    public static boolean isFieldValueChar(int b) {
        return b == '\t' || (b >= 0x20 && b != 0x7f && b < 256);
    }
}
