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
    /**
     * The parsing formatters, built on first parse: java.time formatters take tens of milliseconds to
     * set up, which a server's start should not pay for a Date header.
     */
    private static final class Parsers {
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
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** The cached value of {@link #now()}: formatting a date per response would cost more than the response. */
    private static volatile CachedDate cached = new CachedDate(0, "");

    private record CachedDate(long epochSecond, String text) {
    }

    private HttpDates() {
    }

    /** Formats {@code instant} as an IMF-fixdate, for example {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String format(Instant instant) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29);
        sb.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        if (year < 1000) {
            sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        sb.append(year).append(' ');
        twoDigits(sb, t.getHour()).append(':');
        twoDigits(sb, t.getMinute()).append(':');
        return twoDigits(sb, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder sb, int n) {
        return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * Returns the current time as an IMF-fixdate. The string is computed at most once per second and
     * shared, so calling this per response costs no allocation.
     */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate date = cached;
        if (date.epochSecond != second) {
            date = new CachedDate(second, format(Instant.ofEpochSecond(second)));
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
        for (DateTimeFormatter format : new DateTimeFormatter[] {Parsers.IMF_FIXDATE, Parsers.RFC_850, Parsers.ASCTIME}) {
            try {
                return ZonedDateTime.parse(trimmed, format).toInstant();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }
}
