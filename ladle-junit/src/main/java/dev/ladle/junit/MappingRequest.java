package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonEquality;
import dev.ladle.junit.json.JsonPath;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code request} part of a mapping, read and checked: which requests the stub matches, ready to
 * become the conditions of a {@link Stubbing}. Everything that can be wrong with it (an unknown field
 * or matcher, a regular expression or JSON path that does not compile, JSON that does not parse) is
 * found here, before any stub is made.
 *
 * @param method the method, null for {@code ANY}
 * @param path the condition on the decoded path
 * @param conditions the other conditions, applied in the order the mapping gives them
 */
record MappingRequest(String method, StringMatcher path, List<Consumer<Stubbing>> conditions) {
    private static final Set<String> FIELDS = Set.of("method", "url", "urlPath", "urlPattern", "urlPathPattern",
            "headers", "queryParameters", "cookies", "bodyPatterns");
    private static final Set<String> URL_FIELDS = Set.of("url", "urlPath", "urlPattern", "urlPathPattern");
    private static final Set<String> VALUE_MATCHERS = Set.of("equalTo", "contains", "matches", "doesNotMatch", "absent");
    private static final Set<String> VALUE_FIELDS = Set.of("equalTo", "contains", "matches", "doesNotMatch", "absent",
            "caseInsensitive");
    private static final Set<String> BODY_MATCHERS = Set.of("equalTo", "contains", "matches", "doesNotMatch",
            "equalToJson", "matchesJsonPath", "binaryEqualTo");
    private static final Set<String> BODY_FIELDS = Set.of("equalTo", "contains", "matches", "doesNotMatch",
            "equalToJson", "matchesJsonPath", "binaryEqualTo", "caseInsensitive", "ignoreArrayOrder", "ignoreExtraElements");
    private static final Set<String> JSON_PATH_FIELDS = Set.of("expression", "equalTo", "contains", "matches",
            "doesNotMatch", "absent", "caseInsensitive");

    /**
     * Reads a mapping's {@code request} object.
     *
     * @throws IllegalArgumentException naming the source and the field, for anything outside the subset
     */
    static MappingRequest read(MappingFields request) {
        request.onlyKnown("a request", FIELDS);
        String method = request.string("method");
        if (method == null || method.equals("ANY")) {
            method = null;
        } else if (method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw request.error("method", "is not a method: " + StringMatcher.quote(method));
        }
        List<Consumer<Stubbing>> conditions = new ArrayList<>();
        StringMatcher path = url(request, conditions);
        values(request, "headers", conditions, (s, name, m) -> s.withHeader(name, m));
        values(request, "queryParameters", conditions, (s, name, m) -> s.withQueryParameter(name, m));
        values(request, "cookies", conditions, (s, name, m) -> s.withCookie(name, m));
        List<JsonValue> patterns = request.array("bodyPatterns");
        for (int i = 0; i < patterns.size(); i++) {
            conditions.add(bodyPattern(request.element("bodyPatterns", i, patterns.get(i))));
        }
        return new MappingRequest(method, path, List.copyOf(conditions));
    }

    /** A new stubbing on {@code server} with these conditions, still to be finished with {@code respond}. */
    Stubbing stubbing(MockServer server) {
        Stubbing stubbing = server.on(method, path);
        conditions.forEach(c -> c.accept(stubbing));
        return stubbing;
    }

    /**
     * The URL condition: {@code urlPath} and {@code urlPathPattern} test the decoded path (without the
     * query); {@code url} and {@code urlPattern} the path and query as sent. None: any URL.
     */
    private static StringMatcher url(MappingFields request, List<Consumer<Stubbing>> conditions) {
        List<String> given = request.present(URL_FIELDS);
        if (given.size() > 1) {
            throw request.error(given.get(1), "cannot go with " + given.get(0) + ": a request has one URL condition");
        }
        if (given.isEmpty()) {
            return StringMatcher.present();
        }
        String field = given.get(0);
        String value = request.requiredString(field);
        return switch (field) {
            case "urlPath" -> StringMatcher.equalTo(requireSlash(request, field, value));
            case "urlPathPattern" -> regex(request, field, value, false);
            case "url" -> {
                requireSlash(request, field, value);
                StringMatcher whole = StringMatcher.equalTo(value);
                conditions.add(s -> s.with(urlCondition(whole)));
                yield StringMatcher.equalTo(decodedPath(request, value));
            }
            default -> {
                StringMatcher whole = regex(request, field, value, false);
                conditions.add(s -> s.with(urlCondition(whole)));
                yield StringMatcher.present();
            }
        };
    }

    private static Condition urlCondition(StringMatcher matcher) {
        return Condition.onValue("url " + matcher.description(), MappingRequest::urlAsSent, matcher, false);
    }

    /** The path and query as the client sent them: {@code /items?tag=a%20b}. */
    static String urlAsSent(RecordedRequest r) {
        String query = r.uri().getRawQuery();
        return r.uri().getRawPath() + (query == null ? "" : "?" + query);
    }

    private static String requireSlash(MappingFields request, String field, String value) {
        if (!value.startsWith("/")) {
            throw request.error(field, "must start with /: " + StringMatcher.quote(value));
        }
        return value;
    }

    private static String decodedPath(MappingFields request, String url) {
        try {
            return new URI(url).getPath();
        } catch (URISyntaxException e) {
            throw request.error("url", "is not a valid path and query: " + e.getMessage(), e);
        }
    }

    /** A condition on a name and a value of it. */
    @FunctionalInterface
    private interface ValueCondition {
        void apply(Stubbing stubbing, String name, StringMatcher matcher);
    }

    /** {@code headers}, {@code queryParameters} or {@code cookies}: name to matcher object. */
    private static void values(MappingFields request, String field, List<Consumer<Stubbing>> conditions,
            ValueCondition condition) {
        MappingFields values = request.object(field);
        if (values == null) {
            return;
        }
        for (Map.Entry<String, JsonValue> entry : values.object().members().entrySet()) {
            String name = entry.getKey();
            MappingFields spec = values.object(name);
            StringMatcher matcher = valueMatcher(spec, VALUE_MATCHERS, VALUE_FIELDS);
            conditions.add(s -> condition.apply(s, name, matcher));
        }
    }

    /**
     * One of WireMock's string matchers: {@code equalTo} (with {@code caseInsensitive}), {@code contains},
     * {@code matches}, {@code doesNotMatch}, {@code absent}.
     */
    private static StringMatcher valueMatcher(MappingFields spec, Set<String> operators, Set<String> fields) {
        spec.onlyKnown("a value matcher", fields);
        String operator = operator(spec, operators);
        boolean ignoreCase = spec.bool("caseInsensitive", false);
        if (spec.has("caseInsensitive") && !operator.equals("equalTo")) {
            throw spec.error("caseInsensitive", "goes with equalTo only, not " + operator);
        }
        return switch (operator) {
            case "equalTo" -> ignoreCase ? StringMatcher.equalToIgnoreCase(spec.requiredString(operator))
                    : StringMatcher.equalTo(spec.requiredString(operator));
            case "contains" -> StringMatcher.containing(spec.requiredString(operator));
            case "matches" -> regex(spec, operator, spec.requiredString(operator), false);
            case "doesNotMatch" -> regex(spec, operator, spec.requiredString(operator), true);
            case "absent" -> {
                if (!spec.bool("absent", true)) {
                    throw spec.error("absent", "takes true only (for a value that must be there, use matches \".*\")");
                }
                yield StringMatcher.absent();
            }
            default -> throw new IllegalStateException(operator);
        };
    }

    /** The one operator field of {@code spec}. */
    private static String operator(MappingFields spec, Set<String> operators) {
        List<String> given = spec.present(operators);
        if (given.size() != 1) {
            throw new IllegalArgumentException(spec.source() + ": " + (spec.path().isEmpty() ? "a matcher" : spec.path())
                    + " needs exactly one of " + String.join(", ", operators.stream().sorted().toList())
                    + (given.isEmpty() ? "" : ", not " + String.join(" and ", given)));
        }
        return given.get(0);
    }

    private static StringMatcher regex(MappingFields spec, String field, String regex, boolean negated) {
        try {
            return negated ? StringMatcher.notMatching(regex) : StringMatcher.matching(regex);
        } catch (IllegalArgumentException e) {
            throw spec.error(field, "is not a valid regular expression: " + e.getMessage(), e);
        }
    }

    /** One element of {@code bodyPatterns}. */
    private static Consumer<Stubbing> bodyPattern(MappingFields spec) {
        spec.onlyKnown("a body pattern", BODY_FIELDS);
        String operator = operator(spec, BODY_MATCHERS);
        for (String modifier : List.of("ignoreArrayOrder", "ignoreExtraElements")) {
            if (spec.has(modifier) && !operator.equals("equalToJson")) {
                throw spec.error(modifier, "goes with equalToJson only, not " + operator);
            }
        }
        return switch (operator) {
            case "equalTo", "contains", "matches", "doesNotMatch" -> {
                StringMatcher matcher = valueMatcher(spec, Set.of(operator), BODY_FIELDS);
                yield s -> s.withBody(matcher);
            }
            case "equalToJson" -> equalToJson(spec);
            case "matchesJsonPath" -> matchesJsonPath(spec);
            case "binaryEqualTo" -> {
                byte[] bytes = base64(spec, "binaryEqualTo");
                yield s -> s.withBody(bytes);
            }
            default -> throw new IllegalStateException(operator);
        };
    }

    /** {@code equalToJson}: JSON as a string or inline; WireMock's ignoreExtraElements covers fields and items. */
    private static Consumer<Stubbing> equalToJson(MappingFields spec) {
        JsonValue given = spec.value("equalToJson");
        JsonValue expected;
        if (given instanceof JsonString text) {
            try {
                expected = Json.parse(text.value());
            } catch (IllegalArgumentException e) {
                throw spec.error("equalToJson", "is not valid JSON: " + e.getMessage(), e);
            }
        } else {
            expected = given;
        }
        JsonEquality equality = JsonEquality.exact();
        if (spec.bool("ignoreArrayOrder", false)) {
            equality = equality.ignoringArrayOrder();
        }
        if (spec.bool("ignoreExtraElements", false)) {
            equality = equality.ignoringExtraFields().ignoringExtraArrayItems();
        }
        String json = Json.write(expected);
        JsonEquality chosen = equality;
        return s -> s.withJsonBody(json, chosen);
    }

    /** {@code matchesJsonPath}: a path that must select something, or an object with a matcher. */
    private static Consumer<Stubbing> matchesJsonPath(MappingFields spec) {
        JsonValue given = spec.value("matchesJsonPath");
        if (given instanceof JsonString text) {
            String expression = jsonPath(spec, "matchesJsonPath", text.value());
            return s -> s.withJsonPath(expression);
        }
        MappingFields inner = spec.object("matchesJsonPath");
        inner.onlyKnown("matchesJsonPath", JSON_PATH_FIELDS);
        String expression = jsonPath(inner, "expression", inner.requiredString("expression"));
        StringMatcher matcher = valueMatcher(inner, VALUE_MATCHERS, JSON_PATH_FIELDS);
        return s -> s.withJsonPath(expression, matcher);
    }

    private static String jsonPath(MappingFields spec, String field, String expression) {
        try {
            JsonPath.compile(expression);
            return expression;
        } catch (IllegalArgumentException e) {
            throw spec.error(field, "is not a JSON path ladle-junit reads: " + e.getMessage(), e);
        }
    }

    static byte[] base64(MappingFields spec, String field) {
        try {
            return Base64.getDecoder().decode(spec.requiredString(field));
        } catch (IllegalArgumentException e) {
            throw spec.error(field, "is not base64: " + e.getMessage(), e);
        }
    }
}
