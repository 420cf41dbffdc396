package dev.ladle.junit.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares an expected JSON value with an actual one, exactly or leniently, and explains the first
 * difference. Immutable and thread-safe; each {@code ignoring...} method returns a new comparison.
 *
 * <pre>{@code
 * JsonEquality lenient = JsonEquality.exact().ignoringArrayOrder().ignoringExtraFields();
 * lenient.test(Json.parse("{\"tags\":[\"a\",\"b\"]}"), Json.parse("{\"id\":7,\"tags\":[\"b\",\"a\"]}"));  // true
 * lenient.firstDifference(expected, actual).map(JsonDifference::message);
 *     // e.g. "at $.items[2].name: expected \"a\" but was \"b\"", "missing field $.id"
 * }</pre>
 *
 * <p>{@link #exact()} is {@code JsonValue.equals}: object members in any order, array elements in order,
 * numbers by value ({@code 1} equals {@code 1.0}), strings, booleans and null as they are, and no
 * member or element more or less. The options relax that at every depth:
 * <ul>
 *   <li>{@link #ignoringArrayOrder()}: an array matches when its elements can be paired one to one with
 *       the expected ones in some order (a maximum bipartite matching, so an element that fits two
 *       expected ones does not steal the only partner of another; quadratic in the array's length);</li>
 *   <li>{@link #ignoringExtraFields()}: the actual objects may have members the expected ones lack;</li>
 *   <li>{@link #ignoringExtraArrayItems()}: the actual arrays may have more elements: the expected ones
 *       must appear among them, in order unless array order is ignored too.</li>
 * </ul>
 */
public final class JsonEquality {
    private static final JsonEquality EXACT = new JsonEquality(false, false, false);
    private static final int SHOWN_VALUE_LENGTH = 80;
    /** A difference found while only asking whether values match; never handed out. */
    private static final JsonDifference UNEXPLAINED = new JsonDifference("$", "differs");

    private final boolean ignoreArrayOrder;
    private final boolean ignoreExtraFields;
    private final boolean ignoreExtraArrayItems;

    private JsonEquality(boolean ignoreArrayOrder, boolean ignoreExtraFields, boolean ignoreExtraArrayItems) {
        this.ignoreArrayOrder = ignoreArrayOrder;
        this.ignoreExtraFields = ignoreExtraFields;
        this.ignoreExtraArrayItems = ignoreExtraArrayItems;
    }

    /** Exact structural equality, as {@code JsonValue.equals}, with explanations. */
    public static JsonEquality exact() {
        return EXACT;
    }

    /** This comparison, but array elements may come in any order. */
    public JsonEquality ignoringArrayOrder() {
        return new JsonEquality(true, ignoreExtraFields, ignoreExtraArrayItems);
    }

    /** This comparison, but actual objects may have members the expected ones do not. */
    public JsonEquality ignoringExtraFields() {
        return new JsonEquality(ignoreArrayOrder, true, ignoreExtraArrayItems);
    }

    /** This comparison, but actual arrays may have elements beyond the expected ones. */
    public JsonEquality ignoringExtraArrayItems() {
        return new JsonEquality(ignoreArrayOrder, ignoreExtraFields, true);
    }

    /** True when {@code actual} matches {@code expected} under this comparison. */
    public boolean test(JsonValue expected, JsonValue actual) {
        return compare(PathText.ROOT, Objects.requireNonNull(expected, "expected"), Objects.requireNonNull(actual, "actual"), false) == null;
    }

    /**
     * The first difference between {@code expected} and {@code actual}, walking the expected value in
     * order (object members in their order, then any unexpected members); empty when they match.
     */
    public Optional<JsonDifference> firstDifference(JsonValue expected, JsonValue actual) {
        return Optional.ofNullable(compare(PathText.ROOT, Objects.requireNonNull(expected, "expected"),
                Objects.requireNonNull(actual, "actual"), true));
    }

    /** Says which options are on, e.g. {@code JSON equality ignoring array order and extra fields}. */
    @Override
    public String toString() {
        List<String> ignored = new ArrayList<>();
        if (ignoreArrayOrder) {
            ignored.add("array order");
        }
        if (ignoreExtraFields) {
            ignored.add("extra fields");
        }
        if (ignoreExtraArrayItems) {
            ignored.add("extra array items");
        }
        if (ignored.isEmpty()) {
            return "exact JSON equality";
        }
        String last = ignored.remove(ignored.size() - 1);
        return "JSON equality ignoring " + (ignored.isEmpty() ? "" : String.join(", ", ignored) + " and ") + last;
    }

    /**
     * The difference at {@code path}, or null when the values match. Without {@code explain} a difference
     * is only {@link #UNEXPLAINED}: matching array elements tries many pairs that differ, and writing
     * paths and messages for each would cost more than the comparisons.
     */
    private JsonDifference compare(String path, JsonValue expected, JsonValue actual, boolean explain) {
        if (expected instanceof JsonObject e && actual instanceof JsonObject a) {
            return compareObjects(path, e, a, explain);
        }
        if (expected instanceof JsonArray e && actual instanceof JsonArray a) {
            return compareArrays(path, e.elements(), a.elements(), explain);
        }
        if (expected.equals(actual)) {
            return null;
        }
        if (!explain) {
            return UNEXPLAINED;
        }
        String message = expected.getClass() == actual.getClass()
                ? "expected " + shown(expected) + " but was " + shown(actual)
                : "expected " + expected.kind() + kindValue(expected) + " but was " + actual.kind() + kindValue(actual);
        return new JsonDifference(path, "at " + path + ": " + message);
    }

    private JsonDifference compareObjects(String path, JsonObject expected, JsonObject actual, boolean explain) {
        if (!ignoreExtraFields && !explain && expected.size() != actual.size()) {
            return UNEXPLAINED;
        }
        for (Map.Entry<String, JsonValue> member : expected.members().entrySet()) {
            String memberPath = explain ? PathText.member(path, member.getKey()) : path;
            JsonValue actualValue = actual.get(member.getKey());
            if (actualValue == null) {
                return explain ? new JsonDifference(memberPath, "missing field " + memberPath + " (expected "
                        + shown(member.getValue()) + ")") : UNEXPLAINED;
            }
            JsonDifference difference = compare(memberPath, member.getValue(), actualValue, explain);
            if (difference != null) {
                return difference;
            }
        }
        if (!ignoreExtraFields) {
            for (Map.Entry<String, JsonValue> member : actual.members().entrySet()) {
                if (!expected.has(member.getKey())) {
                    if (!explain) {
                        return UNEXPLAINED;
                    }
                    String memberPath = PathText.member(path, member.getKey());
                    return new JsonDifference(memberPath, "unexpected field " + memberPath + " (was " + shown(member.getValue()) + ")");
                }
            }
        }
        return null;
    }

    private JsonDifference compareArrays(String path, List<JsonValue> expected, List<JsonValue> actual, boolean explain) {
        if (ignoreExtraArrayItems ? actual.size() < expected.size() : actual.size() != expected.size()) {
            return !explain ? UNEXPLAINED : new JsonDifference(path, "at " + path + ": expected " + (ignoreExtraArrayItems ? "at least " : "")
                    + elements(expected.size()) + " but was " + elements(actual.size()) + " " + shown(new JsonArray(actual)));
        }
        if (!ignoreArrayOrder && !ignoreExtraArrayItems) {
            for (int i = 0; i < expected.size(); i++) {
                JsonDifference difference = compare(explain ? PathText.index(path, i) : path, expected.get(i), actual.get(i), explain);
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (!ignoreArrayOrder) {
            return compareSubsequence(path, expected, actual, explain);
        }
        return compareUnordered(path, expected, actual, explain);
    }

    /** Expected elements in order among more actual ones: taking the earliest fit for each is optimal. */
    private JsonDifference compareSubsequence(String path, List<JsonValue> expected, List<JsonValue> actual, boolean explain) {
        int next = 0;
        for (int i = 0; i < expected.size(); i++) {
            while (next < actual.size() && compare(path, expected.get(i), actual.get(next), false) != null) {
                next++;
            }
            if (next == actual.size()) {
                return !explain ? UNEXPLAINED : new JsonDifference(path, "at " + path + ": no element"
                        + (i == 0 ? "" : " after those matching the first " + elements(i)) + " matches expected element ["
                        + i + "] " + shown(expected.get(i)));
            }
            next++;
        }
        return null;
    }

    private JsonDifference compareUnordered(String path, List<JsonValue> expected, List<JsonValue> actual, boolean explain) {
        ArrayMatching matching = new ArrayMatching(expected.size(), actual.size(),
                (e, a) -> compare(path, expected.get(e), actual.get(a), false) == null);
        int[] partner = matching.match();
        List<Integer> unmatchedExpected = new ArrayList<>();
        for (int e = 0; e < partner.length; e++) {
            if (partner[e] < 0) {
                unmatchedExpected.add(e);
            }
        }
        if (unmatchedExpected.isEmpty()) {
            return null;
        }
        if (!explain) {
            return UNEXPLAINED;
        }
        // one left on each side: explain how the two differ, which is what a reader wants to see
        List<Integer> unmatchedActual = matching.unmatchedActual();
        if (unmatchedExpected.size() == 1 && unmatchedActual.size() == 1) {
            int a = unmatchedActual.get(0);
            return compare(PathText.index(path, a), expected.get(unmatchedExpected.get(0)), actual.get(a), true);
        }
        int e = unmatchedExpected.get(0);
        return new JsonDifference(path, "at " + path + ": no element matches expected element [" + e + "] "
                + shown(expected.get(e)) + " (" + unmatchedExpected.size() + " of " + expected.size() + " expected elements unmatched)");
    }

    private static String elements(int n) {
        return n + (n == 1 ? " element" : " elements");
    }

    /** The kind's value for a message: {@code a string "7"}, {@code a number 7}, {@code null}. */
    private static String kindValue(JsonValue value) {
        return value instanceof JsonNull ? "" : " " + shown(value);
    }

    /** Compact JSON, cut short for messages. */
    private static String shown(JsonValue value) {
        String text = Json.write(value);
        return text.length() <= SHOWN_VALUE_LENGTH ? text : text.substring(0, SHOWN_VALUE_LENGTH - 3) + "...";
    }
}
