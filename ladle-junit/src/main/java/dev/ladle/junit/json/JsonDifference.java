package dev.ladle.junit.json;

/**
 * The first place where an actual JSON value departs from the expected one, as
 * {@link JsonEquality#firstDifference} finds it.
 *
 * @param path the normalized JSON path of the node that differs, e.g. {@code $.items[2].name}; for a
 *     missing or unexpected field, the path of that field. {@link JsonPath#compile} reads it.
 * @param message the explanation, path included, e.g. {@code at $.items[2].name: expected "a" but was "b"}
 *     or {@code missing field $.id}
 */
public record JsonDifference(String path, String message) {

    /** The {@link #message()}. */
    @Override
    public String toString() {
        return message;
    }
}
