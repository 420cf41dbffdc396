package dev.ladle.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One hop of a forwarding chain, as a proxy described the connection it received: the address it came
 * from, and the scheme and authority the client used. Any part is null when it was absent, unknown,
 * obfuscated or malformed: malformed values are dropped here, never an error.
 *
 * @param address the address the proxy received the request from (port 0 when none was given), or null
 * @param scheme {@code http} or {@code https}, or null
 * @param authority a valid {@code host[:port]} (the Host the client sent), or null
 */
record ForwardedHop(InetSocketAddress address, String scheme, String authority) {
    /** A hop nothing could be taken from. */
    static final ForwardedHop UNUSABLE = new ForwardedHop(null, null, null);

    /**
     * Parses a node: {@code a.b.c.d}, {@code [v6]}, each optionally with {@code :port}, or a bare IPv6
     * address ({@code X-Forwarded-For} writes those). An obfuscated port ({@code _x}) counts as 0;
     * {@code unknown}, an obfuscated identifier and anything else are null.
     */
    static InetSocketAddress node(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String host = s;
        String port = null;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
                return null;
            }
            host = s.substring(1, close);
            port = close + 1 < s.length() ? s.substring(close + 2) : null;
            if (host.indexOf(':') < 0) {
                return null;
            }
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        InetAddress address = IpLiterals.parse(host);
        int p = port == null ? 0 : port(port);
        return address == null || p < 0 ? null : new InetSocketAddress(address, p);
    }

    /** A port of 1 to 5 digits up to 65535, or an obfuscated one ({@code _x}, as 0); -1 otherwise. */
    static int port(String s) {
        if (s.length() > 1 && s.charAt(0) == '_') {
            return s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-') ? 0 : -1;
        }
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 0xffff ? p : -1;
    }

    /** {@code http} or {@code https} in any case, lower-cased; null for anything else. */
    static String scheme(String s) {
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    /** A Host value that forms a valid URI authority (no path, no user info, a port up to 65535), or null. */
    static String authority(String s) {
        if (s == null || !Hosts.isValidAuthority(s)) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        boolean hasPort = colon > s.lastIndexOf(']');
        return !hasPort || port(s.substring(colon + 1)) > 0 ? s : null;
    }
}
