package dev.ladle.junit.json;

/** JSON {@code null}. All instances are equal; use {@link #INSTANCE}. */
public record JsonNull() implements JsonValue {
    /** The JSON {@code null}. */
    public static final JsonNull INSTANCE = new JsonNull();

    /** {@code null}. */
    @Override
    public String toString() {
        return "null";
    }
}
