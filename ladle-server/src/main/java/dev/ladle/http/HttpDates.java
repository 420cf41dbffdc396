package dev.ladle.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate for output; IMF-fixdate, the obsolete RFC 850 form
 * and asctime accepted on input.
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
                    .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    /** Two-digit years are read as within 50 years of now, as RFC 9110 section 5.6.7 asks. */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US).withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US)
                    .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);

    /** The cached value of {@link #now()}: formatting a date per response would cost more than the response. */
    private static volatile CachedDate cached = new CachedDate(0, "");

    private record CachedDate(long epochSecond, String text) {
    }

    private HttpDates() {
    }

    /** Formats {@code instant} as an IMF-fixdate, for example {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * Returns the current time as an IMF-fixdate. The string is computed at most once per second and
     * shared, so calling this per response costs no allocation.
     */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate date = cached;
        if (date.epochSecond != second) {
            date = new CachedDate(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            cached = date;
        }
        return date.text;
    }

    /**
     * Parses an HTTP date in any of the three forms RFC 9110 requires a recipient to accept.
     *
     * @return the instant, or null when {@code text} is null or not a valid HTTP date
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        for (DateTimeFormatter format : new DateTimeFormatter[] {IMF_FIXDATE, RFC_850, ASCTIME}) {
            try {
                return ZonedDateTime.parse(trimmed, format).toInstant();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }
}
