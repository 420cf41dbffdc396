package dev.ladle.sse;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The {@code text/event-stream} wire format: events and comments as UTF-8 lines, each ended by LF. */
final class EventFormat {
    /** The line breaks the browser's parser knows: CR LF, a lone CR, a lone LF. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private EventFormat() {
    }

    /**
     * Refuses a line break in a single-line field, naming the field: the text after it would be parsed
     * as fields of its own (an injected {@code data:} or {@code id:}).
     *
     * @throws IllegalArgumentException when {@code value} contains CR or LF
     */
    static void checkLine(String field, String value) {
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("the " + field + " field must not contain CR or LF");
        }
    }

    /** Encodes {@code event}: its fields, a {@code data:} line per line of data, and the blank line that dispatches it. */
    static byte[] encode(Event event) {
        StringBuilder out = new StringBuilder(32 + (event.data() == null ? 0 : event.data().length()));
        if (event.type() != null) {
            field(out, "event", event.type());
        }
        if (event.id() != null) {
            field(out, "id", event.id());
        }
        if (event.retry() != null) {
            field(out, "retry", Long.toString(event.retry().toMillis()));
        }
        if (event.data() != null) {
            for (String line : LINE_BREAK.split(event.data(), -1)) {
                field(out, "data", line);
            }
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes a comment, which the browser skips: {@code ": text"} (just {@code ":"} for empty text), then
     * a blank line.
     *
     * @throws IllegalArgumentException when {@code text} contains CR or LF
     */
    static byte[] comment(String text) {
        checkLine("comment", text);
        String line = text.isEmpty() ? ":\n\n" : ": " + text + "\n\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder out, String name, String value) {
        // "name: value": the parser drops the one space after the colon, so a value's own leading spaces survive
        out.append(name).append(": ").append(value).append('\n');
    }
}
