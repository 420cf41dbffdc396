package dev.ladle.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Forwarded} field (RFC 7239 section 4): a comma-separated list of elements, one per proxy,
 * each of {@code name=value} pairs separated by {@code ;}, a value a token or a quoted string. Read
 * into {@link ForwardedHop}s from {@code for}, {@code proto} and {@code host} ({@code by} is not used).
 *
 * <p>An element that breaks the syntax (a pair without {@code =}, a name given twice, a stray quote)
 * becomes an {@linkplain ForwardedHop#UNUSABLE unusable} hop, which ends a walk along the chain there.
 * A value may be written without the quotes the grammar asks for ({@code for=[2001:db8::1]:80}), as
 * some proxies are configured to send it. Only an unterminated quoted string, after which no element
 * boundary can be trusted, makes the whole field unusable.
 */
final class ForwardedField {
    private final String s;
    private int i;

    private ForwardedField(String s) {
        this.s = s;
    }

    /**
     * Parses the field's lines (joined as one list, in order); returns its hops, left to right, or null
     * when there is no line, no element, or an unterminated quoted string.
     */
    static List<ForwardedHop> parse(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        List<ForwardedHop> hops = new ForwardedField(String.join(",", lines)).elements();
        return hops == null || hops.isEmpty() ? null : hops;
    }

    private List<ForwardedHop> elements() {
        List<ForwardedHop> hops = new ArrayList<>();
        while (i < s.length()) {
            String[] values = new String[3];
            boolean bad = false;
            boolean any = false;
            while (true) {
                skipSpace();
                if (i >= s.length() || s.charAt(i) == ',') {
                    break;
                }
                if (s.charAt(i) == ';') {
                    i++;
                    continue;
                }
                any = true;
                int pair = pair(values);
                if (pair < 0) {
                    return null;
                }
                bad |= pair == 0;
            }
            i++; // the comma, or past the end
            if (any) {
                hops.add(bad ? ForwardedHop.UNUSABLE : new ForwardedHop(ForwardedHop.node(values[0]),
                        ForwardedHop.scheme(values[1]), ForwardedHop.authority(values[2])));
            }
        }
        return hops;
    }

    /**
     * Reads one {@code name=value} pair into {@code values} (for, proto, host); 1 when well-formed, 0
     * when malformed (skipped to the next {@code ;} or {@code ,}), -1 for an unterminated quoted string.
     */
    private int pair(String[] values) {
        int start = i;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
            i++;
        }
        String name = s.substring(start, i).toLowerCase(Locale.ROOT);
        if (name.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
            return skipToDelimiter() ? 0 : -1;
        }
        i++;
        String value;
        if (i < s.length() && s.charAt(i) == '"') {
            value = quoted();
            if (value == null) {
                return -1;
            }
        } else {
            start = i;
            while (i < s.length() && ",; \t\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            value = s.substring(start, i);
        }
        skipSpace();
        if (value.isEmpty() || (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != ',')) {
            return skipToDelimiter() ? 0 : -1;
        }
        int slot = switch (name) {
            case "for" -> 0;
            case "proto" -> 1;
            case "host" -> 2;
            default -> -1;
        };
        if (slot >= 0) {
            if (values[slot] != null) {
                return 0; // RFC 7239 section 4: a parameter occurs at most once per element
            }
            values[slot] = value;
        }
        return 1;
    }

    /** Reads a quoted string at {@code i} (RFC 9110 section 5.6.4), unescaped; null when it never ends. */
    private String quoted() {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    return null;
                }
                c = s.charAt(i++);
            }
            sb.append(c);
        }
        return null;
    }

    /** Skips to the next {@code ;} or {@code ,} outside quotes; false when a quoted string never ends. */
    private boolean skipToDelimiter() {
        while (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != ',') {
            if (s.charAt(i) == '"') {
                if (quoted() == null) {
                    return false;
                }
            } else {
                i++;
            }
        }
        return true;
    }

    private void skipSpace() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private static boolean isTokenChar(char c) {
        return c < 0x7f && c > 0x20 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
