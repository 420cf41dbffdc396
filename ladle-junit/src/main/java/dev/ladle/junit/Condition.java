package dev.ladle.junit;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One condition of a stub or a request pattern: the words for it, and a check that says, for a request
 * that fails it, what the request had instead, so that near-miss messages can show both.
 *
 * @param description what the condition requires: {@code header Accept containing "json"}
 * @param check returns null when the request meets the condition, else what it had: {@code was "text/html"}
 * @param target true for the method and path conditions, which weigh more when ranking near misses
 */
record Condition(String description, Function<RecordedRequest, String> check, boolean target) {
    /** Null when {@code request} meets the condition, else what it had instead. */
    String mismatch(RecordedRequest request) {
        return check.apply(request);
    }

    /** A condition on a whole request, with no account of a failure beyond its description. */
    static Condition of(String description, Predicate<RecordedRequest> test) {
        return new Condition(description, r -> test.test(r) ? null : "was not", false);
    }

    /**
     * A condition on the values a request has for one name (header lines, query values, cookie, form
     * fields): met when one of them meets {@code matcher}, or, when there is none, when {@code matcher}
     * accepts null (so {@link StringMatcher#absent()} and negations work).
     */
    static Condition onValues(String description, Function<RecordedRequest, List<String>> values, StringMatcher matcher) {
        return new Condition(description, r -> {
            List<String> found = values.apply(r);
            if (found.isEmpty()) {
                return matcher.matches(null) ? null : "was absent";
            }
            for (String value : found) {
                if (matcher.matches(value)) {
                    return null;
                }
            }
            return (found.size() == 1 ? "was " : "were ")
                    + found.stream().map(StringMatcher::quote).collect(Collectors.joining(", "));
        }, false);
    }

    /** A condition on one value that is always there (method, path, body as text). */
    static Condition onValue(String description, Function<RecordedRequest, String> value, StringMatcher matcher,
                             boolean target) {
        return new Condition(description, r -> {
            String v = value.apply(r);
            return matcher.matches(v) ? null : "was " + StringMatcher.quote(v);
        }, target);
    }

    @Override
    public String toString() {
        return description;
    }
}
