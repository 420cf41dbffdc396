package dev.ladle.junit.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object: member names mapped to values, in the order they were read or added. Immutable.
 * Equality ignores that order (RFC 8259 objects are unordered); {@link Json#write} keeps it.
 *
 * @param members the members, unmodifiable and insertion ordered; no null names or values
 */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {
    private static final JsonObject EMPTY = new JsonObject(Map.of());

    /**
     * Copies {@code members}, keeping their iteration order.
     *
     * @throws NullPointerException when a name or value is null
     */
    public JsonObject {
        Map<String, JsonValue> copy = new LinkedHashMap<>(members.size() * 2);
        members.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "member name"),
                Objects.requireNonNull(value, () -> "value of member \"" + name + "\"")));
        members = Collections.unmodifiableMap(copy);
    }

    /** The empty object {@code {}}. */
    public static JsonObject of() {
        return EMPTY;
    }

    /** An object with {@code members}, in their iteration order. */
    public static JsonObject of(Map<String, ? extends JsonValue> members) {
        return new JsonObject(new LinkedHashMap<String, JsonValue>(members));
    }

    /** A builder that adds members in order. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of member {@code name}, or null when there is none. */
    public JsonValue get(String name) {
        return members.get(name);
    }

    /** True when the object has a member {@code name}. */
    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    /** The compact JSON text, e.g. {@code {"a":1}}. */
    @Override
    public String toString() {
        return Json.write(this);
    }

    /** Builds a {@link JsonObject} member by member; not thread-safe. */
    public static final class Builder {
        private final Map<String, JsonValue> members = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds member {@code name}; a name added again gets the new value and keeps its first position.
         *
         * @throws NullPointerException when {@code name} or {@code value} is null (use {@link JsonNull#INSTANCE})
         */
        public Builder put(String name, JsonValue value) {
            members.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds a string member; a null {@code value} adds JSON {@code null}. */
        public Builder put(String name, String value) {
            return put(name, value == null ? JsonNull.INSTANCE : new JsonString(value));
        }

        /** Adds a number member. */
        public Builder put(String name, long value) {
            return put(name, JsonNumber.of(value));
        }

        /** Adds a boolean member. */
        public Builder put(String name, boolean value) {
            return put(name, JsonBoolean.of(value));
        }

        /** The object with the members added so far. */
        public JsonObject build() {
            return new JsonObject(members);
        }
    }
}
