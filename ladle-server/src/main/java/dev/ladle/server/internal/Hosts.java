package dev.ladle.server.internal;

/** Syntax checks for the {@code Host} header and URI authorities (RFC 3986 section 3.2). */
final class Hosts {
    private Hosts() {
    }

    /**
     * Returns true for {@code host [":" port]} where host is a reg-name, an IPv4 address or a bracketed
     * IPv6 literal and port is empty or digits. Rejects {@code /}, {@code @}, spaces and other delimiters.
     */
    static boolean isValidAuthority(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int hostEnd;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = s.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            hostEnd = close + 1;
        } else {
            hostEnd = s.indexOf(':');
            if (hostEnd < 0) {
                hostEnd = s.length();
            }
            for (int i = 0; i < hostEnd; i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
        }
        if (hostEnd == s.length()) {
            return true;
        }
        if (s.charAt(hostEnd) != ':') {
            return false;
        }
        for (int i = hostEnd + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return s.length() - hostEnd - 1 <= 5;
    }
}
