package dev.ladle.server.internal;

import java.nio.charset.StandardCharsets;

/** Syntax checks for the {@code Host} header and URI authorities (RFC 3986 section 3.2). */
final class Hosts {
    private static final int MAX_PORT_DIGITS = 5;
    private static final int IPV6_GROUPS = 8;
    private static final int MAX_GROUP_DIGITS = 4;

    private Hosts() {
    }

    /** {@link #isValidAuthority(byte[], int, int)} for a string (absolute-form and CONNECT targets). */
    static boolean isValidAuthority(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return isValidAuthority(b, 0, b.length);
    }

    /**
     * Returns true for {@code host [":" port]} in {@code b[start, end)}, where host is a reg-name (with
     * well-formed percent-escapes), an IPv4 address or a bracketed IPv6 address and port is empty or up
     * to 5 digits. Rejects {@code /}, {@code @}, spaces and other delimiters: what passes here always
     * forms a valid URI, which handlers get from {@code getUri()}. Works on the request's bytes: no
     * string per request.
     */
    static boolean isValidAuthority(byte[] b, int start, int end) {
        if (start >= end) {
            return false;
        }
        int hostEnd;
        if (b[start] == '[') {
            int close = start + 1;
            while (close < end && b[close] != ']') {
                close++;
            }
            if (close == end || !isIpv6Address(b, start + 1, close)) {
                return false;
            }
            hostEnd = close + 1;
        } else {
            hostEnd = regNameEnd(b, start, end);
            if (hostEnd < 0) {
                return false;
            }
        }
        if (hostEnd == end) {
            return true;
        }
        if (b[hostEnd] != ':' || end - hostEnd - 1 > MAX_PORT_DIGITS) {
            return false;
        }
        for (int i = hostEnd + 1; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Returns where the reg-name starting at {@code start} ends (at a colon or {@code end}), or -1 if malformed. */
    private static int regNameEnd(byte[] b, int start, int end) {
        int i = start;
        while (i < end && b[i] != ':') {
            int c = b[i] & 0xff;
            if (c == '%') {
                // pct-encoded = "%" HEXDIG HEXDIG: a stray % makes the URI unparseable
                if (end - i < 3 || !isHexDigit(b[i + 1]) || !isHexDigit(b[i + 2])) {
                    return -1;
                }
                i += 3;
                continue;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=".indexOf(c) >= 0;
            if (!ok) {
                return -1;
            }
            i++;
        }
        return i;
    }

    /**
     * RFC 3986's IPv6address in {@code b[start, end)}: up to eight groups of one to four hex digits, at
     * most one {@code ::}, optionally ending in a dotted IPv4 address that stands for two groups.
     */
    static boolean isIpv6Address(byte[] b, int start, int end) {
        int groups = 0;
        boolean compressed = false;
        int i = start;
        if (end - start >= 2 && b[i] == ':' && b[i + 1] == ':') {
            compressed = true;
            i += 2;
        } else if (i < end && b[i] == ':') {
            return false;
        }
        while (i < end) {
            int groupStart = i;
            while (i < end && isHexDigit(b[i]) && i - groupStart < MAX_GROUP_DIGITS) {
                i++;
            }
            if (i < end && b[i] == '.') {
                // the last 32 bits as an IPv4 address
                if (!isIpv4Address(b, groupStart, end)) {
                    return false;
                }
                groups += 2;
                i = end;
                break;
            }
            if (i == groupStart) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < end && b[i] == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == end) {
                return false; // a single trailing colon
            }
        }
        return compressed ? groups < IPV6_GROUPS : groups == IPV6_GROUPS;
    }

    private static boolean isIpv4Address(byte[] b, int start, int end) {
        return parseIpv4(b, start, end, null);
    }

    /**
     * RFC 3986's dotted-quad IPv4address in {@code b[start, end)}: four decimal numbers 0-255 without
     * leading zeros. Writes the four bytes into {@code out} unless it is null (a check only allocates
     * nothing); returns false when it is not one, {@code out} then partly written.
     */
    static boolean parseIpv4(byte[] b, int start, int end, byte[] out) {
        int parts = 0;
        int i = start;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i] - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && b[i - digits] == '0')) {
                return false;
            }
            if (out != null) {
                out[parts] = (byte) value;
            }
            parts++;
            if (i == end) {
                return parts == 4;
            }
            if (b[i] != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    private static boolean isHexDigit(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
