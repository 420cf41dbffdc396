package dev.ladle.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a submitted HTML form, as the built-in {@link FormCodec} reads them from an
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data} body.
 *
 * @param fields every value of each field, in the order sent, by name in the order names first appear;
 *     unmodifiable, each list holding at least one value
 */
public record Form(Map<String, List<String>> fields) {

    /** Creates a form; {@code fields} is copied. */
    public Form {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** Returns the last value of field {@code name} (as {@code Forms.decode} does), or null when it was not sent. */
    public String get(String name) {
        List<String> values = fields.get(name);
        return values == null ? null : values.get(values.size() - 1);
    }

    /** Returns every value of field {@code name} in order; empty when it was not sent. */
    public List<String> getAll(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** Returns the fields with their last values, in the order names first appear (a new mutable map). */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        fields.forEach((name, values) -> map.put(name, values.get(values.size() - 1)));
        return map;
    }
}
