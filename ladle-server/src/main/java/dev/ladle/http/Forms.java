package dev.ladle.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Decoding of {@code application/x-www-form-urlencoded} data (the HTML form encoding). */
public final class Forms {
    private Forms() {
    }

    /**
     * Decodes {@code a=1&b=x+y}: {@code +} is a space, percent-escapes are UTF-8, pairs without
     * {@code =} are dropped, and the last value of a repeated key wins (libsoup's {@code soup_form_decode}).
     *
     * @throws IllegalArgumentException for a malformed percent-escape
     */
    public static Map<String, String> decode(String encoded) {
        Map<String, String> result = new HashMap<>();
        int start = 0;
        int n = encoded.length();
        while (start <= n) {
            int amp = encoded.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = encoded.indexOf('=', start);
            if (eq >= 0 && eq < end) {
                result.put(unescape(encoded, start, eq), unescape(encoded, eq + 1, end));
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return result;
    }

    private static String unescape(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed percent-escape at index " + i);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
