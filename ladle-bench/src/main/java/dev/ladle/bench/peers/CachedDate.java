package dev.ladle.bench.peers;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value, formatted at most once a second: what the peers that do not add a
 * Date header themselves (Netty) use, so that every server sends the same headers.
 */
final class CachedDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Stamp(long second, String text) {
    }

    private static volatile Stamp current = new Stamp(-1, "");

    private CachedDate() {
    }

    /** Returns the current time as an IMF-fixdate. */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = current;
        if (s.second() != second) {
            s = new Stamp(second, IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            current = s;
        }
        return s.text();
    }
}
