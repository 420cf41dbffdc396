package dev.ladle.server.internal;

import dev.ladle.server.Compression;
import java.util.List;

/**
 * Reads a request's {@code Accept-Encoding} (RFC 9110 section 12.5.3) to choose a response's content
 * coding. A coding's weight is its own {@code q}, else that of {@code *}, else 0 (not listed: not
 * acceptable); {@code x-gzip} counts as {@code gzip}. A malformed {@code q} counts as 0, so a coding is
 * never sent on a weight the server could not read. Public for {@link dev.ladle.files.StaticFiles}; the
 * package is not exported.
 */
public final class AcceptEncoding {
    /** A coding's weight when the header does not name it (weights are thousandths, 0 to 1000). */
    private static final int ABSENT = -1;

    private AcceptEncoding() {
    }

    /**
     * Returns the coding of {@code offered} to answer with, or null for none (identity). Without the
     * header nothing is compressed. The highest weight wins; ties go to the earlier of {@code offered}; an
     * {@code identity} (named, or through {@code *}) weighing more than the best coding means none.
     *
     * @param header the request's {@code Accept-Encoding} (its fields joined with commas), or null
     */
    public static Compression.Coding choose(String header, List<Compression.Coding> offered) {
        if (header == null) {
            return null;
        }
        Compression.Coding best = null;
        int bestWeight = 0;
        for (Compression.Coding coding : offered) {
            int weight = weight(header, coding.token());
            if (weight > bestWeight) {
                best = coding;
                bestWeight = weight;
            }
        }
        if (best == null) {
            return null;
        }
        // identity is acceptable unless refused; it wins only when the client says it prefers it
        int identity = weight(header, "identity");
        return identity > bestWeight ? null : best;
    }

    /**
     * Returns true when {@code header} accepts {@code coding} (a weight above 0); false without the header.
     */
    public static boolean accepts(String header, String coding) {
        return header != null && weight(header, coding) > 0;
    }

    /** The weight of {@code coding} in thousandths: its own, else {@code *}'s, else 0. */
    private static int weight(String header, String coding) {
        int own = ABSENT;
        int star = ABSENT;
        int start = 0;
        int n = header.length();
        while (start < n) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int semi = header.indexOf(';', start);
            int nameEnd = semi >= 0 && semi < end ? semi : end;
            String name = header.substring(start, nameEnd).trim();
            if (name.equalsIgnoreCase(coding) || coding.equals("gzip") && name.equalsIgnoreCase("x-gzip")) {
                own = Math.max(own, quality(header, nameEnd, end));
            } else if (name.equals("*")) {
                star = quality(header, nameEnd, end);
            }
            start = end + 1;
        }
        if (own != ABSENT) {
            return own;
        }
        return star != ABSENT ? star : 0;
    }

    /** The {@code q} among the parameters in {@code header[from, to)}, in thousandths; 1000 without one. */
    private static int quality(String header, int from, int to) {
        int at = from;
        while (at < to) {
            int next = header.indexOf(';', at + 1);
            int paramEnd = next < 0 || next > to ? to : next;
            String param = header.substring(at + 1, paramEnd).trim();
            if (param.length() >= 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q')) {
                String rest = param.substring(1).trim();
                if (rest.startsWith("=")) {
                    return parseQuality(rest.substring(1).trim());
                }
            }
            at = paramEnd;
        }
        return 1000;
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, in thousandths; 0 when malformed. */
    static int parseQuality(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
            return 0;
        }
        if (n > 1 && text.charAt(1) != '.') {
            return 0;
        }
        int value = (text.charAt(0) - '0') * 1000;
        int scale = 100;
        for (int i = 2; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            value += (c - '0') * scale;
            scale /= 10;
        }
        return value > 1000 ? 0 : value;
    }
}
