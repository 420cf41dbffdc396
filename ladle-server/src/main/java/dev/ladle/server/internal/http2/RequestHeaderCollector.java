package dev.ladle.server.internal.http2;

import dev.ladle.http.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives the decoded fields of a request's header section or trailer section and checks them against
 * RFC 9113 §8.2-8.3: pseudo-header set and order, lowercase names, characters, connection-specific
 * fields, {@code te}, {@code content-length}. The decoder's sink cannot throw, so the first violation is
 * remembered ({@link #error()}) and the rest of the block is only decoded, for HPACK's sake.
 * One instance per connection, reused for every block ({@link #reset}); used by the reader thread only.
 */
final class RequestHeaderCollector implements HeaderSink {
    private final boolean connectProtocolEnabled;
    private boolean trailers;
    private String error;
    private boolean regularSeen;
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private String protocol;
    private long contentLength;
    private StringBuilder cookies;
    private List<String> fields;

    RequestHeaderCollector(boolean connectProtocolEnabled) {
        this.connectProtocolEnabled = connectProtocolEnabled;
    }

    /** Starts a block: a request head, or a trailer section when {@code trailers}. */
    void reset(boolean trailers) {
        this.trailers = trailers;
        error = null;
        regularSeen = false;
        method = scheme = authority = path = protocol = null;
        contentLength = -1;
        cookies = null;
        fields = new ArrayList<>(16);
    }

    @Override
    public void header(String name, String value) {
        if (error != null) {
            return;
        }
        if (!name.isEmpty() && name.charAt(0) == ':') {
            pseudo(name, value);
            return;
        }
        regularSeen = true;
        if (!validName(name)) {
            error = "invalid field name";
        } else if (!validValue(value)) {
            error = "invalid value of " + name;
        } else if (isConnectionSpecific(name)) {
            error = "connection-specific field " + name;
        } else if (name.equals("te") && !value.equals("trailers")) {
            error = "te other than trailers";
        } else if (name.equals("cookie") && !trailers) {
            // RFC 9113 §8.2.3: crumbs may arrive as separate fields; rejoin them for HTTP/1.1 semantics
            cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
        } else {
            if (name.equals("content-length") && !trailers) {
                contentLength(value);
            }
            fields.add(name);
            fields.add(value);
        }
    }

    private void pseudo(String name, String value) {
        if (trailers) {
            error = "pseudo-header in trailers";
            return;
        }
        if (regularSeen) {
            error = "pseudo-header after a regular field";
            return;
        }
        switch (name) {
            case ":method" -> method = once(method, value, name);
            case ":scheme" -> scheme = once(scheme, value, name);
            case ":authority" -> authority = once(authority, value, name);
            case ":path" -> path = once(path, value, name);
            case ":protocol" -> protocol = once(protocol, value, name);
            default -> error = "unknown pseudo-header " + name;
        }
        if (error == null && !validValue(value)) {
            error = "invalid value of " + name;
        }
    }

    private String once(String previous, String value, String name) {
        if (previous != null) {
            error = "duplicate " + name;
        }
        return value;
    }

    private void contentLength(String value) {
        long parsed = parseLength(value);
        if (parsed < 0 || (contentLength >= 0 && contentLength != parsed)) {
            error = "invalid content-length";
        }
        contentLength = parsed;
    }

    /**
     * The first violation of the block, or {@code null}. For a request head this also checks that the
     * pseudo-headers present suit the method.
     */
    String error() {
        if (error != null || trailers) {
            return error;
        }
        if (method == null) {
            return "missing :method";
        }
        if (method.equals("CONNECT")) {
            if (protocol != null) {
                if (!connectProtocolEnabled) {
                    return ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL";
                }
                if (scheme == null || path == null || authority == null || path.isEmpty()) {
                    return "extended CONNECT without :scheme, :path or :authority";
                }
            } else if (authority == null || scheme != null || path != null) {
                return "CONNECT needs :authority and no :scheme or :path";
            }
            return null;
        }
        if (protocol != null) {
            return ":protocol on a method other than CONNECT";
        }
        if (scheme == null || path == null) {
            return "missing :scheme or :path";
        }
        if (path.isEmpty()) {
            return "empty :path";
        }
        return null;
    }

    /** The checked request head; call only when {@link #error()} is {@code null}. */
    Http2Request request(boolean endStream) {
        if (cookies != null) {
            fields.add("cookie");
            fields.add(cookies.toString());
        }
        return new Http2Request(method, scheme, authority, path, protocol, List.copyOf(fields), contentLength,
                endStream);
    }

    /** The trailer fields (alternating name, value); call only when {@link #error()} is {@code null}. */
    List<String> trailerFields() {
        return List.copyOf(fields);
    }

    /** A decimal content-length, or -1 when malformed. */
    static long parseLength(String value) {
        int n = value.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Connection-specific fields, forbidden in HTTP/2 (RFC 9113 §8.2.2). */
    static boolean isConnectionSpecific(String name) {
        return switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    /** A token of lowercase characters (RFC 9113 §8.2.1, RFC 9110 §5.1). */
    static boolean validName(String name) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || (c >= 'A' && c <= 'Z') || !isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return switch (c) {
            case '(', ')', ',', '/', ':', ';', '<', '=', '>', '?', '@', '[', '\\', ']', '{', '}', '"' -> false;
            default -> true;
        };
    }

    /** No control character but HTAB, and no leading or trailing whitespace (RFC 9113 §8.2.1). */
    static boolean validValue(String value) {
        int n = value.length();
        if (n == 0) {
            return true;
        }
        if (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            // RFC 9113 section 8.2.1 forbids NUL, CR and LF; RFC 9110 section 5.5 every control but HTAB,
            // as the HTTP/1 parser and MessageHeaders do
            if (!Tokens.isFieldValueChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
