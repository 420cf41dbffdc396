package dev.ladle.auth;

import dev.ladle.http.Tokens;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One credentials field value split per RFC 9110 section 11.4: {@code auth-scheme [ 1*SP ( token68 /
 * #auth-param ) ]}.
 *
 * @param scheme the scheme as sent
 * @param rest what follows the scheme and its spaces; empty when nothing does
 */
record AuthCredentials(String scheme, String rest) {

    /** Splits {@code value}; returns null when it does not start with a token scheme. */
    static AuthCredentials parse(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        int end = 0;
        while (end < text.length() && Tokens.isTokenChar(text.charAt(end))) {
            end++;
        }
        if (end == 0 || (end < text.length() && text.charAt(end) != ' ')) {
            return null;
        }
        return new AuthCredentials(text.substring(0, end), text.substring(end).strip());
    }

    /** Returns true when the scheme is {@code name}, compared case-insensitively as RFC 9110 says. */
    boolean isScheme(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /**
     * Parses {@link #rest} as a comma-separated list of {@code name=(token / quoted-string)}. Empty list
     * elements are skipped; names are lower-cased.
     *
     * @return the parameters in order, or null when the list is malformed or a name repeats (RFC 7616
     *     section 3.4: each parameter occurs at most once)
     */
    Map<String, String> params() {
        Map<String, String> out = new LinkedHashMap<>();
        String s = rest;
        int i = 0;
        int n = s.length();
        while (true) {
            i = skip(s, i, " \t,");
            if (i >= n) {
                return Collections.unmodifiableMap(out);
            }
            int nameStart = i;
            while (i < n && Tokens.isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                return null;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i = skip(s, i, " \t");
            if (i >= n || s.charAt(i) != '=') {
                return null;
            }
            i = skip(s, i + 1, " \t");
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i = readQuoted(s, i + 1, value);
                if (i < 0) {
                    return null;
                }
            } else {
                int valueStart = i;
                while (i < n && Tokens.isTokenChar(s.charAt(i))) {
                    i++;
                }
                if (i == valueStart) {
                    return null;
                }
                value.append(s, valueStart, i);
            }
            if (out.putIfAbsent(name, value.toString()) != null) {
                return null;
            }
            i = skip(s, i, " \t");
            if (i < n && s.charAt(i) != ',') {
                return null;
            }
        }
    }

    /** Reads a quoted-string body starting after its opening quote; returns the index after the closing quote, or -1. */
    private static int readQuoted(String s, int i, StringBuilder out) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    return -1;
                }
                c = s.charAt(++i);
            }
            out.append(c);
            i++;
        }
        return -1;
    }

    private static int skip(String s, int i, String chars) {
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }
}
