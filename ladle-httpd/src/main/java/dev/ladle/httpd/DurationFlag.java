package dev.ladle.httpd;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a duration for {@code --drain-grace}: a whole number with the unit {@code ms}, {@code s} or
 * {@code m}, or without a unit in seconds ({@code 5}, {@code 5s}, {@code 500ms}, {@code 1m}). Zero is
 * allowed; negative values and fractions are refused.
 */
final class DurationFlag implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        String unit = text.endsWith("ms") ? "ms" : text.endsWith("s") ? "s" : text.endsWith("m") ? "m" : "";
        String digits = text.substring(0, text.length() - unit.length());
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 5s, 500ms, 1m, 0)");
        }
        if (number < 0 || number > 24 * 3600 * 1000L) {
            throw new TypeConversionException("'" + value + "' is out of range: give 0 or more, up to a day");
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(number);
            case "m" -> Duration.ofMinutes(number);
            default -> Duration.ofSeconds(number);
        };
    }

    /** The text form of {@code duration} for messages: {@code 5 s}, {@code 500 ms}. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
