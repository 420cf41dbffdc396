package dev.ladle.junit;

/**
 * How many matching requests a {@linkplain MockServer#verify(Times, RequestPattern) verification}
 * expects: {@code exactly(2)}, {@code atLeast(1)}, {@code never()}...
 */
public final class Times {
    private final int min;
    private final int max;
    private final String description;

    private Times(int min, int max, String description) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("not a valid count: " + description);
        }
        this.min = min;
        this.max = max;
        this.description = description;
    }

    /** Exactly {@code n} requests. */
    public static Times exactly(int n) {
        return new Times(n, n, "exactly " + n);
    }

    /** One request. */
    public static Times once() {
        return exactly(1);
    }

    /** No request at all. */
    public static Times never() {
        return new Times(0, 0, "never");
    }

    /** {@code n} or more requests. */
    public static Times atLeast(int n) {
        return new Times(n, Integer.MAX_VALUE, "at least " + n);
    }

    /** At most {@code n} requests (none included). */
    public static Times atMost(int n) {
        return new Times(0, n, "at most " + n);
    }

    /** From {@code min} to {@code max} requests, both included. */
    public static Times between(int min, int max) {
        return new Times(min, max, "between " + min + " and " + max);
    }

    /** True when {@code count} requests satisfy this expectation. */
    public boolean test(int count) {
        return count >= min && count <= max;
    }

    /** {@code exactly 2}, {@code at least 1}, {@code never}... */
    @Override
    public String toString() {
        return description;
    }
}
