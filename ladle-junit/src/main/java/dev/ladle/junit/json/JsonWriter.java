package dev.ladle.junit.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes a {@link JsonValue} as compact or pretty JSON text; see {@link Json#write} for the rules. */
final class JsonWriter {
    private static final String INDENT = "  ";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private final boolean pretty;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static String write(JsonValue value, boolean pretty) {
        JsonWriter writer = new JsonWriter(pretty);
        writer.value(value, 0);
        return writer.out.toString();
    }

    private void value(JsonValue value, int level) {
        switch (value) {
            case JsonObject o -> object(o.members(), level);
            case JsonArray a -> array(a.elements(), level);
            case JsonString s -> string(s.value());
            case JsonNumber n -> out.append(n.value().toString()); // never toPlainString: 1E+400 stays short
            case JsonBoolean b -> out.append(b.value());
            case JsonNull n -> out.append("null");
        }
    }

    private void object(Map<String, JsonValue> members, int level) {
        if (members.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<Map.Entry<String, JsonValue>> it = members.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonValue> member = it.next();
            newline(level + 1);
            string(member.getKey());
            out.append(pretty ? ": " : ":");
            value(member.getValue(), level + 1);
            if (it.hasNext()) {
                out.append(',');
            }
        }
        newline(level);
        out.append('}');
    }

    private void array(List<JsonValue> elements, int level) {
        if (elements.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < elements.size(); i++) {
            newline(level + 1);
            value(elements.get(i), level + 1);
            if (i + 1 < elements.size()) {
                out.append(',');
            }
        }
        newline(level);
        out.append(']');
    }

    private void newline(int level) {
        if (pretty) {
            out.append('\n');
            out.append(INDENT.repeat(level));
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || unpairedSurrogate(s, i)) {
                        unicodeEscape(c);
                    } else if (Character.isHighSurrogate(c)) {
                        // a valid pair: copy both halves now so the low one is not seen as unpaired
                        out.append(c).append(s.charAt(++i));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True when the character at {@code i} is a surrogate that is not half of a pair. */
    private static boolean unpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        // a low surrogate reached here had no high one before it: pairs are consumed whole above
        return Character.isLowSurrogate(c);
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }
}
