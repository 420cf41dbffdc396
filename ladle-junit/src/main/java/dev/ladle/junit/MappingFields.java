package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonBoolean;
import dev.ladle.junit.json.JsonNumber;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a mapping, read strictly: every field must be one the reader knows, and every
 * value of the kind it expects; anything else is an {@link IllegalArgumentException} naming where the
 * mapping came from and the field, e.g. {@code mappings/users.json: request.headers.Accept: "hasExactly"
 * is not supported; use equalTo, contains, matches, doesNotMatch or absent}.
 *
 * @param object the object
 * @param path where it is in the mapping, e.g. {@code request.headers.Accept}; empty at the top
 * @param source where the mapping came from, e.g. the file's path
 */
record MappingFields(JsonObject object, String path, String source) {

    /** The top of a mapping read from {@code source}. */
    static MappingFields top(JsonValue value, String source) {
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException(source + ": a mapping is a JSON object, not " + value.kind());
        }
        return new MappingFields(object, "", source);
    }

    /** The path of field {@code name} of this object. */
    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * Refuses fields other than {@code known}: a mapping is never half understood.
     *
     * @param what the object, for the message: {@code "a request"}
     */
    MappingFields onlyKnown(String what, Set<String> known) {
        for (String name : object.members().keySet()) {
            if (!known.contains(name)) {
                throw error(name, "is not supported in " + what + " (ladle-junit reads a subset of WireMock's"
                        + " mapping format; the fields it knows here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    boolean has(String name) {
        return object.has(name);
    }

    /** The names of this object's fields that are among {@code names}. */
    List<String> present(Set<String> names) {
        List<String> found = new ArrayList<>();
        for (String name : object.members().keySet()) {
            if (names.contains(name)) {
                found.add(name);
            }
        }
        return found;
    }

    /** The value of field {@code name}, or null. */
    JsonValue value(String name) {
        return object.get(name);
    }

    /** The string field {@code name}, or null when it is missing. */
    String string(String name) {
        JsonValue v = object.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw error(name, "must be a string, not " + v.kind() + " " + Json.write(v));
    }

    /** The string field {@code name}, which must be there. */
    String requiredString(String name) {
        String s = string(name);
        if (s == null) {
            throw error(name, "is missing");
        }
        return s;
    }

    /** The boolean field {@code name}, or {@code otherwise} when it is missing. */
    boolean bool(String name, boolean otherwise) {
        JsonValue v = object.get(name);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof JsonBoolean b) {
            return b.value();
        }
        throw error(name, "must be true or false, not " + v.kind() + " " + Json.write(v));
    }

    /** The whole-number field {@code name} from {@code min} to {@code max}, or {@code otherwise} when missing. */
    long integer(String name, long min, long max, long otherwise) {
        JsonValue v = object.get(name);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof JsonNumber n) {
            try {
                long value = n.longValueExact();
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (ArithmeticException notWhole) {
                // falls through to the message below
            }
        }
        throw error(name, "must be a whole number from " + min + " to " + max + ", not " + Json.write(v));
    }

    /** The non-negative number field {@code name}, which must be there. */
    double number(String name) {
        JsonValue v = object.get(name);
        if (v instanceof JsonNumber n && n.doubleValue() >= 0 && !Double.isInfinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw error(name, v == null ? "is missing" : "must be a number >= 0, not " + Json.write(v));
    }

    /** The object field {@code name}, or null when it is missing. */
    MappingFields object(String name) {
        JsonValue v = object.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonObject o) {
            return new MappingFields(o, pathOf(name), source);
        }
        throw error(name, "must be an object, not " + v.kind() + " " + Json.write(v));
    }

    /** The array field {@code name}, or an empty list when it is missing. */
    List<JsonValue> array(String name) {
        JsonValue v = object.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof JsonArray a) {
            return a.elements();
        }
        throw error(name, "must be an array, not " + v.kind() + " " + Json.write(v));
    }

    /** Element {@code index} of array field {@code name}, which must be an object. */
    MappingFields element(String name, int index, JsonValue element) {
        String at = pathOf(name) + "[" + index + "]";
        if (element instanceof JsonObject o) {
            return new MappingFields(o, at, source);
        }
        throw new IllegalArgumentException(source + ": " + at + " must be an object, not " + element.kind());
    }

    /** An error about field {@code name} of this object. */
    IllegalArgumentException error(String name, String message) {
        return new IllegalArgumentException(source + ": " + pathOf(name) + " " + message);
    }

    /** An error about field {@code name} of this object, caused by {@code cause}. */
    IllegalArgumentException error(String name, String message, Throwable cause) {
        return new IllegalArgumentException(source + ": " + pathOf(name) + " " + message, cause);
    }
}
