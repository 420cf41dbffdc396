package dev.ladle.junit.json;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON number, kept as the exact decimal it was written as: no rounding to {@code double}, so
 * {@code 0.1}, {@code 12345678901234567890} and {@code 1e400} are what they say. Immutable.
 *
 * <p>Two numbers are {@linkplain #equals equal} when they denote the same value, whatever their
 * notation: {@code 1}, {@code 1.0}, {@code 1.00e0} and {@code 0.1e1} are equal, and so are {@code 0} and
 * {@code -0} ({@link BigDecimal} has no negative zero, so {@code -0} reads as {@code 0}). {@link #value()}
 * keeps the notation's scale ({@code 1.0} has scale 1), and {@link Json#write} writes it back that way.
 *
 * @param value the decimal value; never null
 */
public record JsonNumber(BigDecimal value) implements JsonValue {

    /**
     * Makes the number {@code value}.
     *
     * @throws NullPointerException when {@code value} is null
     */
    public JsonNumber {
        Objects.requireNonNull(value, "value");
    }

    /** The number {@code value}. */
    public static JsonNumber of(long value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    /**
     * The number {@code value}, in the shortest decimal that reads back as the same {@code double}
     * ({@code 0.1} is {@code 0.1}, not {@code 0.1000000000000000055...}).
     *
     * @throws IllegalArgumentException when {@code value} is NaN or infinite, which JSON cannot express
     */
    public static JsonNumber of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no number " + value);
        }
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    /** The number {@code value}. */
    public static JsonNumber of(BigDecimal value) {
        return new JsonNumber(value);
    }

    /**
     * The value as an {@code int}.
     *
     * @throws ArithmeticException when it has a fraction or does not fit
     */
    public int intValueExact() {
        return value.intValueExact();
    }

    /**
     * The value as a {@code long}.
     *
     * @throws ArithmeticException when it has a fraction or does not fit
     */
    public long longValueExact() {
        return value.longValueExact();
    }

    /** The nearest {@code double} (infinite when the value is beyond {@code double}'s range). */
    public double doubleValue() {
        return value.doubleValue();
    }

    /** True when {@code other} is a number with the same value, whatever the notation or scale. */
    @Override
    public boolean equals(Object other) {
        return other instanceof JsonNumber n && value.compareTo(n.value) == 0;
    }

    /** Consistent with {@link #equals}: equal values have the same nearest {@code double}. */
    @Override
    public int hashCode() {
        return Double.hashCode(value.doubleValue());
    }

    /** The JSON text of the number, e.g. {@code 1.0} or {@code 1E+400}. */
    @Override
    public String toString() {
        return value.toString();
    }
}
