package dev.ladle.websocket.internal;

import dev.ladle.http.Tokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and formats {@code Sec-WebSocket-Extensions} (RFC 6455 section 9.1):
 * {@code 1#( token *( ";" token [ "=" ( token / quoted-string ) ] ) )}.
 */
public final class ExtensionHeader {

    /**
     * One extension in the header.
     *
     * @param name the extension token
     * @param params its parameters in order, names as sent; a valueless parameter maps to null
     * @param repeatedParam true when a parameter name occurred more than once (such an offer must be
     *     declined; {@code params} keeps the first)
     */
    public record Element(String name, Map<String, String> params, boolean repeatedParam) {
    }

    private ExtensionHeader() {
    }

    /**
     * Parses a header value (several fields joined with commas).
     *
     * @throws IllegalArgumentException when the value does not follow the grammar
     */
    public static List<Element> parse(String value) {
        List<Element> elements = new ArrayList<>();
        Cursor c = new Cursor(value);
        while (true) {
            c.skipSpace();
            if (c.atEnd()) {
                return elements;
            }
            if (c.peek() == ',') {
                // Empty list elements are allowed by the list rule (RFC 9110 section 5.6.1).
                c.pos++;
                continue;
            }
            elements.add(element(c));
            c.skipSpace();
            if (!c.atEnd() && c.next() != ',') {
                throw new IllegalArgumentException("expected ',' at " + (c.pos - 1) + " in: " + value);
            }
        }
    }

    private static Element element(Cursor c) {
        String name = c.token();
        Map<String, String> params = new LinkedHashMap<>();
        boolean repeated = false;
        Set<String> seen = new HashSet<>();
        while (true) {
            c.skipSpace();
            if (c.atEnd() || c.peek() != ';') {
                return new Element(name, Collections.unmodifiableMap(params), repeated);
            }
            c.pos++;
            c.skipSpace();
            String param = c.token();
            String paramValue = null;
            c.skipSpace();
            if (!c.atEnd() && c.peek() == '=') {
                c.pos++;
                c.skipSpace();
                paramValue = !c.atEnd() && c.peek() == '"' ? c.quoted() : c.token();
            }
            if (!seen.add(param.toLowerCase(Locale.ROOT))) {
                repeated = true;
            } else {
                params.put(param, paramValue);
            }
        }
    }

    /** Formats one extension with its parameters; values that are not tokens are quoted. */
    public static String format(String name, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(name);
        params.forEach((param, v) -> {
            sb.append("; ").append(param);
            if (v != null) {
                sb.append('=');
                if (Tokens.isToken(v)) {
                    sb.append(v);
                } else {
                    sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        });
        return sb.toString();
    }

    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        char next() {
            return text.charAt(pos++);
        }

        void skipSpace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd() && Tokens.isTokenChar(peek())) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("expected a token at " + pos + " in: " + text);
            }
            return text.substring(start, pos);
        }

        String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char ch = next();
                if (ch == '"') {
                    return sb.toString();
                }
                if (ch == '\\' && !atEnd()) {
                    ch = next();
                }
                sb.append(ch);
            }
            throw new IllegalArgumentException("unterminated quoted string in: " + text);
        }
    }
}
