package dev.ladle.junit.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader: one recursive-descent pass over the text, no lenient extensions.
 *
 * <p>Decisions where the RFC leaves room (each is an error naming the position): duplicate member names
 * are rejected, because receivers differ on which value wins and a test should not guess; an escaped
 * unpaired surrogate (<code>"&#92;uD800"</code>) is grammatical and kept as that lone UTF-16 unit, but a raw one in
 * the text is rejected (it cannot come from UTF-8, so the text was decoded wrongly); numbers beyond
 * {@link JsonLimits#maxNumberLength()} or whose exponent does not fit {@link BigDecimal} are rejected;
 * {@code -0} is read as {@code 0}. Any value may stand at the top level, surrounded by whitespace.
 */
final class JsonReader {
    private final String text;
    private final JsonLimits limits;
    private int pos;
    private int depth;

    private JsonReader(String text, JsonLimits limits) {
        this.text = text;
        this.limits = limits;
    }

    /** Reads {@code text} as one JSON value. */
    static JsonValue read(String text, JsonLimits limits) {
        JsonReader reader = new JsonReader(text, limits);
        if (text.length() > limits.maxLength()) {
            throw reader.error(limits.maxLength(), "the text is longer than the limit of " + limits.maxLength() + " characters");
        }
        return reader.document();
    }

    private JsonValue document() {
        skipWhitespace();
        JsonValue value = value();
        skipWhitespace();
        if (pos < text.length()) {
            throw error(pos, "expected the end of the text after the value but found " + found(pos));
        }
        return value;
    }

    private JsonValue value() {
        if (pos >= text.length()) {
            throw error(pos, "expected a value but found the end of the text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new JsonString(string());
            case 't' -> literal("true", JsonBoolean.TRUE);
            case 'f' -> literal("false", JsonBoolean.FALSE);
            case 'n' -> literal("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                throw error(pos, "expected a value (object, array, string, number, true, false or null) but found " + found(pos));
            }
        };
    }

    private JsonObject object() {
        enter();
        pos++; // '{'
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonObject(members);
        }
        while (true) {
            if (peek() != '"') {
                throw error(pos, "expected a member name in double quotes but found " + found(pos));
            }
            int nameStart = pos;
            String name = string();
            if (members.containsKey(name)) {
                throw error(nameStart, "duplicate member name " + Json.write(new JsonString(name)));
            }
            skipWhitespace();
            expect(':', "expected ':' after the member name");
            skipWhitespace();
            members.put(name, value());
            skipWhitespace();
            char c = peek();
            if (c == '}') {
                pos++;
                depth--;
                return new JsonObject(members);
            }
            if (c != ',') {
                throw error(pos, "expected ',' or '}' but found " + found(pos));
            }
            pos++;
            skipWhitespace();
            if (peek() == '}') {
                throw error(pos, "expected a member after ',' but found '}' (trailing commas are not allowed)");
            }
        }
    }

    private JsonArray array() {
        enter();
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonArray(elements);
        }
        while (true) {
            elements.add(value());
            skipWhitespace();
            char c = peek();
            if (c == ']') {
                pos++;
                depth--;
                return new JsonArray(elements);
            }
            if (c != ',') {
                throw error(pos, "expected ',' or ']' but found " + found(pos));
            }
            pos++;
            skipWhitespace();
            if (peek() == ']') {
                throw error(pos, "expected a value after ',' but found ']' (trailing commas are not allowed)");
            }
        }
    }

    /** Counts one more level of nesting, refusing to go deeper than the limit before recursing. */
    private void enter() {
        if (++depth > limits.maxDepth()) {
            throw error(pos, "nesting deeper than the limit of " + limits.maxDepth() + " levels");
        }
    }

    /** Reads a string starting at the opening quote and returns its unescaped text. */
    private String string() {
        int start = pos;
        pos++; // '"'
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error(pos, "expected '\"' to end the string that starts at " + where(start) + " but found the end of the text");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String result = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
                pos++;
                return result;
            }
            if (c < 0x20) {
                throw error(pos, "control character " + codePoint(c) + " must be escaped in a string");
            }
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error(pos, "unpaired surrogate " + codePoint(c) + " in a string");
                }
                pos += 2;
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw error(pos, "unpaired surrogate " + codePoint(c) + " in a string");
            }
            if (c == '\\') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(text, runStart, pos);
                escape(out);
                runStart = pos;
                continue;
            }
            pos++;
        }
    }

    /** Reads the escape sequence at {@code pos} (a backslash) into {@code out}. */
    private void escape(StringBuilder out) {
        int start = pos;
        if (pos + 1 >= text.length()) {
            throw error(pos, "expected an escape sequence after '\\' but found the end of the text");
        }
        char c = text.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            // a pair of escapes (backslash-u D83D, backslash-u DE00) forms one code point by appending both halves; an escaped
            // unpaired surrogate is grammatical JSON (RFC 8259 §8.2) and is kept as the lone UTF-16 unit
            case 'u' -> out.append(hex4(start));
            default -> throw error(start, "invalid escape sequence '\\" + (c < 0x20 ? codePoint(c) : String.valueOf(c))
                    + "' (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u and four hex digits)");
        }
    }

    /** Reads the four hex digits at {@code pos}, of the {@code \}{@code u} escape starting at {@code escapeStart}. */
    private char hex4(int escapeStart) {
        if (pos + 4 > text.length()) {
            throw error(escapeStart, "expected four hex digits after \\u but found the end of the text");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            // Character.digit also takes non-ASCII digits; JSON allows only 0-9, a-f, A-F
            if (digit < 0 || text.charAt(pos + i) > 'f') {
                throw error(pos + i, "expected four hex digits after \\u but found " + found(pos + i));
            }
            value = value << 4 | digit;
        }
        pos += 4;
        return (char) value;
    }

    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        char first = peek();
        if (first == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error(start, "leading zeros are not allowed in a number");
            }
        } else if (isDigit(first)) {
            digits();
        } else {
            throw error(pos, "expected a digit after '-' but found " + found(pos));
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error(pos, "expected a digit after the decimal point but found " + found(pos));
            }
            digits();
        }
        char e = peek();
        if (e == 'e' || e == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error(pos, "expected a digit in the exponent but found " + found(pos));
            }
            digits();
        }
        if (pos - start > limits.maxNumberLength()) {
            throw error(start, "number longer than the limit of " + limits.maxNumberLength() + " characters");
        }
        try {
            return new JsonNumber(new BigDecimal(text.substring(start, pos)));
        } catch (NumberFormatException e2) {
            // only an exponent beyond what BigDecimal's int scale holds gets here
            throw error(start, "number out of range (its exponent is too large): " + text.substring(start, pos));
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private JsonValue literal(String word, JsonValue value) {
        if (!text.startsWith(word, pos)) {
            throw error(pos, "expected a value (object, array, string, number, true, false or null) but found "
                    + found(pos) + " (did you mean " + word + "?)");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw error(pos, what + " but found " + found(pos));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The character at {@code pos}, or NUL at the end (NUL never starts valid syntax, so it fails any check). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Describes what is at {@code at}, for "but found ...". */
    private String found(int at) {
        if (at >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(at);
        if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == 0xFEFF || Character.isSpaceChar(c)) {
            return codePoint(c);
        }
        return "'" + c + "'";
    }

    private static String codePoint(char c) {
        return "U+" + hex(c);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    private String where(int offset) {
        int[] lineColumn = lineColumn(text, offset);
        return "line " + lineColumn[0] + ", column " + lineColumn[1];
    }

    private JsonParseException error(int offset, String reason) {
        int[] lineColumn = lineColumn(text, offset);
        return new JsonParseException(lineColumn[0], lineColumn[1], offset, reason);
    }

    /** The line and column (both from 1) of {@code offset}: lines end at LF, CR LF or a lone CR. */
    static int[] lineColumn(CharSequence text, int offset) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, offset - lineStart + 1};
    }
}
