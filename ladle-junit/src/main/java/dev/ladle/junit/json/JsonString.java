package dev.ladle.junit.json;

import java.util.Objects;

/**
 * A JSON string. Immutable.
 *
 * @param value the text, unescaped; never null
 */
public record JsonString(String value) implements JsonValue {

    /**
     * Makes the string {@code value}.
     *
     * @throws NullPointerException when {@code value} is null
     */
    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    /** The string {@code value}. */
    public static JsonString of(String value) {
        return new JsonString(value);
    }

    /** The JSON text: the value quoted and escaped, e.g. {@code "a\"b"}. */
    @Override
    public String toString() {
        return Json.write(this);
    }
}
