package dev.ladle.junit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * A condition on one text value of a request: its path, a header, a query parameter, a cookie, a form
 * field or the body. Made by the static factories here and given to the {@code with…} methods of
 * {@link Stubbing} and {@link RequestPattern}:
 *
 * <pre>{@code
 * import static dev.ladle.junit.StringMatcher.*;
 *
 * server.onGet("/items").withHeader("Accept", containing("json")).withQueryParameter("tag", anyOf("a", "b"))...
 * }</pre>
 *
 * <p>A value that is not there (a header the request lacks) is passed as {@code null}: only
 * {@link #absent()} and the negations built with {@link #not} accept it.
 */
public interface StringMatcher {
    /**
     * True when {@code value} meets the condition.
     *
     * @param value the value, or null when the request has none
     */
    boolean matches(String value);

    /** What the condition requires, as failure messages say it: {@code containing "json"}. */
    String description();

    /** The value equals {@code expected} exactly (case matters). */
    static StringMatcher equalTo(String expected) {
        Objects.requireNonNull(expected, "expected");
        return of("equal to " + quote(expected), expected::equals);
    }

    /** The value equals {@code expected}, ignoring case (ASCII and Unicode simple case folding). */
    static StringMatcher equalToIgnoreCase(String expected) {
        Objects.requireNonNull(expected, "expected");
        return of("equal to " + quote(expected) + " ignoring case", v -> v != null && v.equalsIgnoreCase(expected));
    }

    /** The value contains {@code part}. */
    static StringMatcher containing(String part) {
        Objects.requireNonNull(part, "part");
        return of("containing " + quote(part), v -> v != null && v.contains(part));
    }

    /** The value contains {@code part}, ignoring case. */
    static StringMatcher containingIgnoreCase(String part) {
        Objects.requireNonNull(part, "part");
        String lower = part.toLowerCase(Locale.ROOT);
        return of("containing " + quote(part) + " ignoring case",
                v -> v != null && v.toLowerCase(Locale.ROOT).contains(lower));
    }

    /** The value starts with {@code prefix}. */
    static StringMatcher startingWith(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return of("starting with " + quote(prefix), v -> v != null && v.startsWith(prefix));
    }

    /**
     * The whole value matches the regular expression {@code regex} ({@link java.util.regex.Pattern} syntax).
     *
     * @throws IllegalArgumentException when {@code regex} is not a valid expression
     */
    static StringMatcher matching(String regex) {
        Pattern pattern = compile(regex);
        return of("matching /" + regex + "/", v -> v != null && pattern.matcher(v).matches());
    }

    /**
     * The value is there and does not match {@code regex} as a whole.
     *
     * @throws IllegalArgumentException when {@code regex} is not a valid expression
     */
    static StringMatcher notMatching(String regex) {
        Pattern pattern = compile(regex);
        return of("not matching /" + regex + "/", v -> v != null && !pattern.matcher(v).matches());
    }

    /** The value is there, whatever it is. */
    static StringMatcher present() {
        return of("present", Objects::nonNull);
    }

    /** The value is not there (no such header, parameter, cookie or field). */
    static StringMatcher absent() {
        return of("absent", Objects::isNull);
    }

    /** The value equals one of {@code values} exactly. */
    static StringMatcher anyOf(String... values) {
        List<String> allowed = List.of(values);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("anyOf needs at least one value");
        }
        return of("one of " + allowed.stream().map(StringMatcher::quote).collect(Collectors.joining(", ")),
                allowed::contains);
    }

    /** One of {@code matchers} accepts the value. */
    static StringMatcher anyOf(StringMatcher... matchers) {
        List<StringMatcher> all = nonEmpty(matchers, "anyOf");
        return of(joined(all, " or "), v -> all.stream().anyMatch(m -> m.matches(v)));
    }

    /** Every one of {@code matchers} accepts the value. */
    static StringMatcher allOf(StringMatcher... matchers) {
        List<StringMatcher> all = nonEmpty(matchers, "allOf");
        return of(joined(all, " and "), v -> all.stream().allMatch(m -> m.matches(v)));
    }

    /** {@code matcher} does not accept the value (an absent value is accepted unless it accepts null). */
    static StringMatcher not(StringMatcher matcher) {
        Objects.requireNonNull(matcher, "matcher");
        return of("not " + matcher.description(), v -> !matcher.matches(v));
    }

    /**
     * Any condition: {@code test} decides, {@code description} names it in failure messages. A
     * {@code test} that throws makes the client get 500 and the test fail (see
     * {@link MockServer#answerFailures()}).
     */
    static StringMatcher satisfying(String description, Predicate<String> test) {
        return of(Objects.requireNonNull(description, "description"), Objects.requireNonNull(test, "test"));
    }

    private static StringMatcher of(String description, Predicate<String> test) {
        return new DescribedStringMatcher(description, test);
    }

    private static Pattern compile(String regex) {
        Objects.requireNonNull(regex, "regex");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getMessage(), e);
        }
    }

    private static List<StringMatcher> nonEmpty(StringMatcher[] matchers, String what) {
        List<StringMatcher> all = Arrays.asList(matchers.clone());
        if (all.isEmpty() || all.contains(null)) {
            throw new IllegalArgumentException(what + " needs one or more matchers and no null");
        }
        return List.copyOf(all);
    }

    private static String joined(List<StringMatcher> all, String separator) {
        String text = all.stream().map(StringMatcher::description).collect(Collectors.joining(separator));
        return all.size() == 1 ? text : "(" + text + ")";
    }

    /** {@code s} in double quotes, shortened to 60 characters, as failure messages show values. */
    static String quote(String s) {
        if (s == null) {
            return "absent";
        }
        String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
