package dev.ladle.jackson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exception for a bad request body into a reason a client can read: what is wrong, the
 * JSON path to it and the line and column, without Jackson's source excerpt and with qualified class
 * names cut to their simple names (the client needs the shape of the JSON, not our packages).
 */
final class JsonErrors {
    /** A qualified class name in Jackson's backquotes, such as {@code `com.example.Order`}. */
    private static final Pattern QUALIFIED = Pattern.compile("`(?:[\\w$]+\\.)+([\\w$]+)`");
    /** The longest part of a reason taken from Jackson: it can list every value of a large enum. */
    private static final int MAX_MESSAGE = 400;
    /** A location Jackson writes into some messages, such as where an unclosed array started. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");

    private JsonErrors() {
    }

    /** Returns the reason for {@code e}, at most {@link #MAX_MESSAGE} characters of it from Jackson. */
    static String reason(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder("malformed JSON: ");
        if (e instanceof UnrecognizedPropertyException unknown) {
            sb.append("unknown property \"").append(unknown.getPropertyName()).append('"');
        } else {
            sb.append(message(e));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            sb.append(" at ").append(path(mapping));
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            sb.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr()).append(')');
        }
        return sb.toString();
    }

    private static String message(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original == null) {
            return "unreadable body";
        }
        // Jackson's first line says what went wrong; further lines repeat the source or list hints
        int newline = original.indexOf('\n');
        String line = newline < 0 ? original : original.substring(0, newline);
        line = QUALIFIED.matcher(line).replaceAll("`$1`");
        line = SOURCE.matcher(line).replaceAll("line $1, column $2").strip();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }

    /** The JSON path of the reference chain, such as {@code $.items[2].qty}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            String name = ref.getFieldName();
            if (name != null) {
                if (IDENTIFIER.matcher(name).matches()) {
                    sb.append('.').append(name);
                } else {
                    sb.append("[\"").append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
                }
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
