package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonDifference;
import dev.ladle.junit.json.JsonEquality;
import dev.ladle.junit.json.JsonPath;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The conditions a request must meet, shared by stubs ({@link Stubbing}) and verifications
 * ({@link RequestPattern}): the method and path given when it was made, then any of the
 * {@code with…} conditions, all of which must hold.
 *
 * <p>Names of headers compare without case; values of headers, query parameters, cookies and form
 * fields are tested one by one, and a condition holds when one of them meets its
 * {@link StringMatcher}. With the {@code String} forms the value must be equal.
 *
 * @param <S> the concrete builder, returned by each method for chaining
 */
public abstract sealed class RequestConditions<S extends RequestConditions<S>> permits Stubbing, RequestPattern {
    private final String target;
    /** Copied on write: an unfinished stub's description is read by other threads while it is being built. */
    private final List<Condition> conditions = new CopyOnWriteArrayList<>();

    /**
     * @param method the method, null for any
     * @param path the path: exact (decoded, without the query), or every path under a prefix when it
     *     ends with {@code /*}
     * @param headMatchesGet whether a {@code GET} condition also accepts {@code HEAD} (stubs: yes)
     */
    RequestConditions(String method, String path, boolean headMatchesGet) {
        Checks.requirePath(path);
        this.target = (method == null ? "any method" : method) + " " + path;
        addMethod(method, headMatchesGet);
        conditions.add(new Condition("path " + path, r -> pathMatches(path, r.path())
                ? null : "was " + StringMatcher.quote(r.path()), true));
    }

    RequestConditions(String method, StringMatcher path, boolean headMatchesGet) {
        Objects.requireNonNull(path, "path");
        this.target = (method == null ? "any method" : method) + " path " + path.description();
        addMethod(method, headMatchesGet);
        conditions.add(Condition.onValue("path " + path.description(), RecordedRequest::path, path, true));
    }

    /** True when {@code path} is {@code pattern}, or lies under a {@code pattern} that ends in {@code /*}. */
    private static boolean pathMatches(String pattern, String path) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty();
        }
        return pattern.equals(path);
    }

    private void addMethod(String method, boolean headMatchesGet) {
        if (method == null) {
            return;
        }
        boolean alsoHead = headMatchesGet && method.equals("GET");
        conditions.add(new Condition("method " + method + (alsoHead ? " (or HEAD)" : ""), r ->
                r.method().equals(method) || alsoHead && r.method().equals("HEAD") ? null : "was " + r.method(), true));
    }

    /** This builder, typed as the subclass. */
    abstract S self();

    /**
     * Called when a method of this builder refused its arguments: the builder will not be finished,
     * and must not be reported as left unfinished on top of the exception the caller already got.
     */
    void abandoned() {
    }

    /** Returns {@code value}, or abandons this builder and throws when it is null. */
    final <T> T required(T value, String name) {
        if (value == null) {
            abandoned();
            throw new NullPointerException(name);
        }
        return value;
    }

    /** Returns what {@code step} makes, or abandons this builder when it throws. */
    final <T> T orAbandon(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            abandoned();
            throw e;
        }
    }

    // ---- headers ----------------------------------------------------------------------------------

    /** A header {@code name} (any case) has exactly the value {@code value} on one of its lines. */
    public S withHeader(String name, String value) {
        required(value, "value");
        return withHeader(name, StringMatcher.equalTo(value));
    }

    /**
     * One of the lines of header {@code name} (any case) meets {@code matcher}; with no such header,
     * {@code matcher} is asked about null (so {@link StringMatcher#absent()} requires it missing).
     */
    public S withHeader(String name, StringMatcher matcher) {
        required(name, "name");
        required(matcher, "matcher");
        return with(Condition.onValues("header " + name + " " + matcher.description(), r -> r.headers(name), matcher));
    }

    /** The request has a header {@code name}, whatever its value. */
    public S withHeaderPresent(String name) {
        return withHeader(name, StringMatcher.present());
    }

    /** The request has no header {@code name}. */
    public S withoutHeader(String name) {
        return withHeader(name, StringMatcher.absent());
    }

    // ---- query, cookies ---------------------------------------------------------------------------

    /** One of the (decoded) values of query parameter {@code name} equals {@code value}. */
    public S withQueryParameter(String name, String value) {
        required(value, "value");
        return withQueryParameter(name, StringMatcher.equalTo(value));
    }

    /** One of the (decoded) values of query parameter {@code name} meets {@code matcher}. */
    public S withQueryParameter(String name, StringMatcher matcher) {
        required(name, "name");
        required(matcher, "matcher");
        return with(Condition.onValues("query " + name + " " + matcher.description(), r -> r.queryParameters(name), matcher));
    }

    /**
     * Query parameter {@code name} has exactly these values, each as often as listed, in any order:
     * {@code ?tag=a&tag=b} has the values {@code a} and {@code b}.
     */
    public S withQueryParameterValues(String name, String... values) {
        required(name, "name");
        List<String> expected = orAbandon(() -> List.of(values));
        Map<String, Long> expectedCounts = counts(expected);
        return with(new Condition("query " + name + " with exactly the values " + quoted(expected), r -> {
            List<String> found = r.queryParameters(name);
            return counts(found).equals(expectedCounts) ? null : "had " + (found.isEmpty() ? "none" : quoted(found));
        }, false));
    }

    /** The request has a cookie {@code name} (in its {@code Cookie} headers) whose value equals {@code value}. */
    public S withCookie(String name, String value) {
        required(value, "value");
        return withCookie(name, StringMatcher.equalTo(value));
    }

    /** A cookie {@code name} of the request meets {@code matcher} (null, when there is none). */
    public S withCookie(String name, StringMatcher matcher) {
        required(name, "name");
        required(matcher, "matcher");
        return with(Condition.onValues("cookie " + name + " " + matcher.description(), r -> r.cookies(name), matcher));
    }

    // ---- body -------------------------------------------------------------------------------------

    /** The body, as text, is exactly {@code body}. */
    public S withBody(String body) {
        required(body, "body");
        return withBody(StringMatcher.equalTo(body));
    }

    /** The body, as text (in its {@code Content-Type}'s charset, else UTF-8), meets {@code matcher}. */
    public S withBody(StringMatcher matcher) {
        required(matcher, "matcher");
        return with(Condition.onValue("body " + matcher.description(), RecordedRequest::bodyAsString, matcher, false));
    }

    /** The body is exactly these bytes. */
    public S withBody(byte[] body) {
        byte[] expected = required(body, "body").clone();
        return with(new Condition("body of exactly " + expected.length + " given bytes",
                r -> Arrays.equals(r.body(), expected) ? null : "was " + r.body().length + " other bytes", false));
    }

    /** The body, as text, contains {@code part}. */
    public S withBodyContaining(String part) {
        return withBody(orAbandon(() -> StringMatcher.containing(part)));
    }

    /**
     * The body is JSON equal to {@code expectedJson}: the same values, object members in any order,
     * numbers compared by value ({@code 1} equals {@code 1.0}), arrays in order.
     *
     * @throws IllegalArgumentException when {@code expectedJson} is not valid JSON (the message says where)
     */
    public S withJsonBody(String expectedJson) {
        return withJsonBody(expectedJson, JsonEquality.exact());
    }

    /**
     * The body is JSON equal to {@code expectedJson} as {@code equality} compares, e.g.
     * {@code JsonEquality.exact().ignoringArrayOrder().ignoringExtraFields()}; a failed match names the
     * first difference by its path ({@code at $.items[2].name: expected "a" but was "b"}).
     *
     * @throws IllegalArgumentException when {@code expectedJson} is not valid JSON (the message says where)
     */
    public S withJsonBody(String expectedJson, JsonEquality equality) {
        required(equality, "equality");
        JsonValue expected = orAbandon(() -> Json.parse(required(expectedJson, "expectedJson")));
        String options = equality.toString().startsWith("JSON equality ") ? " " + equality.toString().substring(14) : "";
        return with(new Condition("body JSON-equal to " + StringMatcher.quote(Json.write(expected)) + options, r -> {
            JsonValue actual;
            try {
                actual = Json.parse(r.bodyAsString());
            } catch (IllegalArgumentException e) {
                return "was not JSON (" + e.getMessage() + ")";
            }
            return equality.firstDifference(expected, actual).map(JsonDifference::toString).orElse(null);
        }, false));
    }

    /**
     * The body is JSON in which {@code path} ({@link JsonPath} syntax: {@code $.items[0].id},
     * {@code $..name}) selects at least one value.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid path (the message says where)
     */
    public S withJsonPath(String path) {
        JsonPath compiled = orAbandon(() -> JsonPath.compile(path));
        return with(new Condition("JSON path " + path + " present", r -> {
            List<JsonValue> found = RequestBodies.select(compiled, r);
            return found == null ? "was not JSON" : found.isEmpty() ? "selected nothing" : null;
        }, false));
    }

    /**
     * The body is JSON in which one of the values {@code path} selects meets {@code matcher}: a string
     * as its text, any other value as its compact JSON ({@code 7}, {@code true}, {@code {"a":1}}); when
     * the path selects nothing, {@code matcher} is asked about null.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid path (the message says where)
     */
    public S withJsonPath(String path, StringMatcher matcher) {
        JsonPath compiled = orAbandon(() -> JsonPath.compile(path));
        required(matcher, "matcher");
        return with(Condition.onValues("JSON path " + path + " " + matcher.description(), r -> {
            List<JsonValue> found = RequestBodies.select(compiled, r);
            return found == null ? List.of() : found.stream()
                    .map(v -> v instanceof JsonString text ? text.value() : Json.write(v)).toList();
        }, matcher));
    }

    /**
     * One of the values of field {@code name} of an {@code application/x-www-form-urlencoded} body
     * equals {@code value}.
     */
    public S withFormField(String name, String value) {
        required(value, "value");
        return withFormField(name, StringMatcher.equalTo(value));
    }

    /**
     * One of the values of field {@code name} of an {@code application/x-www-form-urlencoded} body
     * meets {@code matcher}; a body of another type, or one that does not decode, has no fields.
     */
    public S withFormField(String name, StringMatcher matcher) {
        required(name, "name");
        required(matcher, "matcher");
        return with(Condition.onValues("form field " + name + " " + matcher.description(),
                r -> RequestBodies.formFields(r).getOrDefault(name, List.of()), matcher));
    }

    /**
     * A part named {@code name} (its {@code Content-Disposition} name) of a {@code multipart/*} body has
     * content that, as UTF-8 text, meets {@code matcher}; a body that is not multipart has no parts.
     */
    public S withMultipartPart(String name, StringMatcher matcher) {
        required(name, "name");
        required(matcher, "matcher");
        return with(Condition.onValues("multipart part " + name + " " + matcher.description(),
                r -> RequestBodies.multipartParts(r).getOrDefault(name, List.of()), matcher));
    }

    // ---- anything ---------------------------------------------------------------------------------

    /**
     * The request meets {@code condition}; {@code description} names it in messages. A condition that
     * throws makes the client get 500 and the test fail (see {@link MockServer#answerFailures()}).
     */
    public S matching(String description, Predicate<RecordedRequest> condition) {
        required(description, "description");
        return with(Condition.of(description, required(condition, "condition")));
    }

    // ---- for the server ---------------------------------------------------------------------------

    /** Adds {@code condition} to those the request must meet. */
    final S with(Condition condition) {
        conditions.add(condition);
        return self();
    }

    /** The conditions, method and path first. */
    final List<Condition> conditions() {
        return List.copyOf(conditions);
    }

    /** {@code GET /items (header Accept containing "json", query page equal to "2")}. */
    final String describe() {
        List<String> more = conditions.stream().filter(c -> !c.target()).map(Condition::description).toList();
        return more.isEmpty() ? target : target + " (" + String.join(", ", more) + ")";
    }

    private static Map<String, Long> counts(Collection<String> values) {
        return values.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(StringMatcher::quote).collect(Collectors.joining(", "));
    }
}
