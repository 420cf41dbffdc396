package dev.ladle.junit.json;

/**
 * A JSON {@code true} or {@code false}. Immutable.
 *
 * @param value the truth value
 */
public record JsonBoolean(boolean value) implements JsonValue {
    /** JSON {@code true}. */
    public static final JsonBoolean TRUE = new JsonBoolean(true);
    /** JSON {@code false}. */
    public static final JsonBoolean FALSE = new JsonBoolean(false);

    /** {@link #TRUE} or {@link #FALSE}. */
    public static JsonBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** {@code true} or {@code false}. */
    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
