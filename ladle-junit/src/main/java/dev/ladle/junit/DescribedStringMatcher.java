package dev.ladle.junit;

import java.util.function.Predicate;

/** The {@link StringMatcher} the factories make: a test and the words for it. */
record DescribedStringMatcher(String description, Predicate<String> test) implements StringMatcher {
    @Override
    public boolean matches(String value) {
        return test.test(value);
    }

    @Override
    public String toString() {
        return description;
    }
}
