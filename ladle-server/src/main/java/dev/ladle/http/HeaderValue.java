package dev.ladle.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A header value with parameters, such as {@code text/html; charset=utf-8} or
 * {@code form-data; name="file"; filename="a.txt"}.
 *
 * @param value the part before the first {@code ;}, trimmed
 * @param parameters the parameters in order, names lower-cased, quoted values unquoted; never null
 */
public record HeaderValue(String value, Map<String, String> parameters) {

    /** Creates a value; {@code parameters} is copied. */
    public HeaderValue {
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Returns one parameter by case-insensitive name, or null. */
    public String parameter(String name) {
        return parameters.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Parses {@code text} as {@code value *( ";" name "=" ( token / quoted-string ) )}. Parameters
     * without a value are kept with an empty value; a parameter that repeats keeps its first value.
     *
     * @return the parsed value, or null when {@code text} is null
     */
    public static HeaderValue parse(String text) {
        if (text == null) {
            return null;
        }
        int semi = indexOfUnquoted(text, ';', 0);
        String value = (semi < 0 ? text : text.substring(0, semi)).trim();
        Map<String, String> params = new LinkedHashMap<>();
        int pos = semi;
        while (pos >= 0 && pos < text.length()) {
            int next = indexOfUnquoted(text, ';', pos + 1);
            String part = text.substring(pos + 1, next < 0 ? text.length() : next).trim();
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
                String raw = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (!name.isEmpty()) {
                    params.putIfAbsent(name, unquote(raw));
                }
            }
            pos = next;
        }
        return new HeaderValue(value, params);
    }

    /** Formats this value back into header syntax, quoting parameter values that are not tokens. */
    public String format() {
        StringBuilder sb = new StringBuilder(value);
        parameters.forEach((name, v) -> {
            sb.append("; ").append(name).append('=');
            appendTokenOrQuoted(sb, v);
        });
        return sb.toString();
    }

    /** Appends {@code v} as a token when it is one, otherwise as a quoted-string. */
    static void appendTokenOrQuoted(StringBuilder sb, String v) {
        if (!v.isEmpty() && Tokens.isToken(v)) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    static String unquote(String raw) {
        if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                c = raw.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static int indexOfUnquoted(String text, char target, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == target && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
