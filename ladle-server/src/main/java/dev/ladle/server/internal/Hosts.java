package dev.ladle.server.internal;

import java.nio.charset.StandardCharsets;

/** Syntax checks for the {@code Host} header and URI authorities (RFC 3986 section 3.2). */
final class Hosts {
    private Hosts() {
    }

    /** {@link #isValidAuthority(byte[], int, int)} for a string (absolute-form and CONNECT targets). */
    static boolean isValidAuthority(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return isValidAuthority(b, 0, b.length);
    }

    /**
     * Returns true for {@code host [":" port]} in {@code b[start, end)}, where host is a reg-name, an IPv4
     * address or a bracketed IPv6 literal and port is empty or up to 5 digits. Rejects {@code /},
     * {@code @}, spaces and other delimiters. Works on the request's bytes: no string per request.
     */
    static boolean isValidAuthority(byte[] b, int start, int end) {
        if (start >= end) {
            return false;
        }
        int hostEnd;
        if (b[start] == '[') {
            int close = start + 1;
            while (close < end && b[close] != ']') {
                int c = b[close];
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
                close++;
            }
            if (close == end) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            hostEnd = start;
            while (hostEnd < end && b[hostEnd] != ':') {
                int c = b[hostEnd] & 0xff;
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
                hostEnd++;
            }
        }
        if (hostEnd == end) {
            return true;
        }
        if (b[hostEnd] != ':' || end - hostEnd - 1 > 5) {
            return false;
        }
        for (int i = hostEnd + 1; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
