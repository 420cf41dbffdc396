package dev.ladle.junit.json;

import java.util.List;

/**
 * A JSON array: values in order. Immutable.
 *
 * @param elements the elements, unmodifiable; no nulls (use {@link JsonNull#INSTANCE})
 */
public record JsonArray(List<JsonValue> elements) implements JsonValue {
    private static final JsonArray EMPTY = new JsonArray(List.of());

    /**
     * Copies {@code elements}.
     *
     * @throws NullPointerException when an element is null
     */
    public JsonArray {
        elements = List.copyOf(elements);
    }

    /** An array of {@code elements}, in order. */
    public static JsonArray of(JsonValue... elements) {
        return elements.length == 0 ? EMPTY : new JsonArray(List.of(elements));
    }

    /** An array of {@code elements}, in their iteration order. */
    public static JsonArray of(List<? extends JsonValue> elements) {
        return new JsonArray(List.copyOf(elements));
    }

    /**
     * The element at {@code index}.
     *
     * @throws IndexOutOfBoundsException when there is none
     */
    public JsonValue get(int index) {
        return elements.get(index);
    }

    /** The number of elements. */
    public int size() {
        return elements.size();
    }

    /** The compact JSON text, e.g. {@code [1,"a"]}. */
    @Override
    public String toString() {
        return Json.write(this);
    }
}
