package dev.ladle.server.internal;

import dev.ladle.server.Compression;
import java.util.List;

/**
 * Reads a request's {@code Accept-Encoding} (RFC 9110 section 12.5.3) to choose a response's content
 * coding. A coding's weight is its own {@code q}, else that of {@code *}, else 0 (not listed: not
 * acceptable); {@code x-gzip} counts as {@code gzip}. A malformed {@code q} counts as 0, so a coding is
 * never sent on a weight the server could not read. The list is parsed by {@link QualityList}. Public
 * for {@link dev.ladle.files.StaticFiles}; the package is not exported.
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
        List<QualityList.Element> elements = QualityList.parse(header);
        Compression.Coding best = null;
        int bestWeight = 0;
        for (Compression.Coding coding : offered) {
            int weight = weight(elements, coding.token());
            if (weight > bestWeight) {
                best = coding;
                bestWeight = weight;
            }
        }
        if (best == null) {
            return null;
        }
        // identity is acceptable unless refused; it wins only when the client says it prefers it
        int identity = weight(elements, "identity");
        return identity > bestWeight ? null : best;
    }

    /** The weight of {@code coding} in thousandths: its own, else {@code *}'s, else 0. */
    private static int weight(List<QualityList.Element> elements, String coding) {
        int own = ABSENT;
        int star = ABSENT;
        for (QualityList.Element element : elements) {
            String name = element.value().value();
            // a weight the server could not read must not send a coding: it counts as 0
            int quality = Math.max(element.quality(), 0);
            if (name.equalsIgnoreCase(coding) || coding.equals("gzip") && name.equalsIgnoreCase("x-gzip")) {
                own = Math.max(own, quality);
            } else if (name.equals("*")) {
                star = quality;
            }
        }
        if (own != ABSENT) {
            return own;
        }
        return star != ABSENT ? star : 0;
    }
}
