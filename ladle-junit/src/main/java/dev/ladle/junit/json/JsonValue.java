package dev.ladle.junit.json;

/**
 * A JSON value: an immutable tree node, one of the six kinds RFC 8259 defines. Switch over it with
 * pattern matching:
 *
 * <pre>{@code
 * String kind = switch (value) {
 *     case JsonObject o -> "object of " + o.size();
 *     case JsonArray a -> "array of " + a.size();
 *     case JsonString s -> "string " + s.value();
 *     case JsonNumber n -> "number " + n.value();
 *     case JsonBoolean b -> "boolean " + b.value();
 *     case JsonNull n -> "null";
 * };
 * }</pre>
 *
 * <p><b>Equality</b> is structural and exact: objects are equal when they have the same member names
 * with equal values, in any order; arrays when they have equal elements in the same order; numbers when
 * they denote the same decimal value ({@code 1}, {@code 1.0} and {@code 10e-1} are equal). For looser
 * comparisons (array order, extra fields) and an explanation of the first difference, use
 * {@link JsonEquality}.
 *
 * <p>{@code toString()} is the compact JSON text of the value ({@link Json#write}).
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** The kind of value, for messages: {@code "an object"}, {@code "an array"}, {@code "a string"}, ... */
    default String kind() {
        return switch (this) {
            case JsonObject o -> "an object";
            case JsonArray a -> "an array";
            case JsonString s -> "a string";
            case JsonNumber n -> "a number";
            case JsonBoolean b -> "a boolean";
            case JsonNull n -> "null";
        };
    }
}
