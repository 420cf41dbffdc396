package dev.ladle.junit.json;

import dev.ladle.junit.json.JsonPath.Segment;
import dev.ladle.junit.json.JsonPath.Selector;
import java.util.ArrayList;
import java.util.List;

/** Reads the syntax {@link JsonPath} documents, left to right, one segment at a time. */
final class JsonPathParser {
    private final String text;
    private int pos;

    JsonPathParser(String text) {
        this.text = text;
    }

    List<Segment> segments() {
        if (!text.startsWith("$")) {
            throw error(0, "a JSON path starts with '$' but found " + found(0));
        }
        pos = 1;
        List<Segment> segments = new ArrayList<>();
        while (pos < text.length()) {
            segments.add(segment());
        }
        return segments;
    }

    private Segment segment() {
        if (text.startsWith("..", pos)) {
            pos += 2;
            char c = peek();
            if (c == '[') {
                return new Segment(bracket(), true);
            }
            if (c == '*') {
                pos++;
                return new Segment(new Selector.Wildcard(), true);
            }
            if (isNameStart(c)) {
                return new Segment(name(), true);
            }
            throw error(pos, "expected a name, '*' or '[' after '..' but found " + found(pos));
        }
        char c = peek();
        if (c == '.') {
            pos++;
            if (peek() == '*') {
                pos++;
                return new Segment(new Selector.Wildcard(), false);
            }
            if (isNameStart(peek())) {
                return new Segment(name(), false);
            }
            throw error(pos, "expected a name or '*' after '.' but found " + found(pos)
                    + " (write other names in brackets: ['my-name'])");
        }
        if (c == '[') {
            return new Segment(bracket(), false);
        }
        throw error(pos, "expected '.', '..' or '[' but found " + found(pos)
                + (isNameChar(text.charAt(pos - 1)) ? " (write names with such characters in brackets: ['my-name'])" : ""));
    }

    private Selector name() {
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
            pos++;
        }
        return new Selector.Name(text.substring(start, pos));
    }

    private Selector bracket() {
        int open = pos;
        pos++; // '['
        skipBlanks();
        char c = peek();
        Selector selector;
        if (c == '\'' || c == '"') {
            selector = new Selector.Name(quoted(c));
        } else if (c == '*') {
            pos++;
            selector = new Selector.Wildcard();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            selector = new Selector.Index(index());
        } else if (c == '?') {
            throw error(pos, "filter expressions ([?...]) are not supported");
        } else if (c == ':') {
            throw error(pos, "slices ([start:end]) are not supported");
        } else {
            throw error(pos, "expected an index, '*' or a quoted name but found " + found(pos));
        }
        skipBlanks();
        if (peek() == ',') {
            throw error(pos, "unions ([a,b]) are not supported");
        }
        if (peek() == ':') {
            throw error(pos, "slices ([start:end]) are not supported");
        }
        if (peek() != ']') {
            throw error(pos, "expected ']' to close the '[' at position " + open + " but found " + found(pos));
        }
        pos++;
        return selector;
    }

    private int index() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        String digits = text.substring(digitsStart, pos);
        if (digits.isEmpty()) {
            throw error(pos, "expected a digit after '-' but found " + found(pos));
        }
        if (digits.length() > 1 && digits.charAt(0) == '0' || digits.equals("0") && digitsStart > start) {
            throw error(start, "an index has no leading zeros and no '-0'");
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error(start, "index out of range: " + text.substring(start, pos));
        }
    }

    /** Reads a quoted name starting at its opening {@code quote}. */
    private String quoted(char quote) {
        int open = pos;
        pos++;
        StringBuilder name = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(pos, "expected " + quote + " to end the name that starts at position " + open + " but found the end");
            }
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                return name.toString();
            }
            if (c == '\\') {
                name.append(escape());
                continue;
            }
            name.append(c);
            pos++;
        }
    }

    private char escape() {
        int start = pos;
        pos++; // '\'
        char c = peek();
        pos++;
        return switch (c) {
            case '\'', '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (pos + 4 > text.length()) {
                    throw error(start, "expected four hex digits after \\u but found the end");
                }
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    char h = text.charAt(pos + i);
                    int digit = h > 'f' ? -1 : Character.digit(h, 16);
                    if (digit < 0) {
                        throw error(pos + i, "expected four hex digits after \\u but found " + found(pos + i));
                    }
                    value = value << 4 | digit;
                }
                pos += 4;
                yield (char) value;
            }
            default -> throw error(start, "invalid escape in a quoted name: " + (pos - 1 < text.length() ? "\\" + c : "\\ at the end"));
        };
    }

    private void skipBlanks() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** RFC 9535's name-first: a letter, {@code _} or any non-ASCII character. */
    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private String found(int at) {
        if (at >= text.length()) {
            return "the end";
        }
        char c = text.charAt(at);
        return c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private JsonPathException error(int at, String reason) {
        return new JsonPathException(text, at, reason);
    }
}
