package dev.ladle.codec;

import dev.ladle.server.internal.QualityList;
import java.util.ArrayList;
import java.util.List;

/**
 * The media ranges of a request's {@code Accept} and their weights (RFC 9110 section 12.5.1), asked
 * how much the client wants one content type.
 */
final class AcceptHeader {
    /** A range and its weight, 0 to 1. */
    private record Range(MediaType range, double q) {
        /** How specific the range is: a more specific range that matches decides (RFC 9110 section 12.5.1). */
        int specificity() {
            int params = range.parameters().containsKey("q") ? range.parameters().size() - 1 : range.parameters().size();
            return range.type().equals("*") ? 0 : range.subtype().equals("*") ? 1 : 2 + params;
        }
    }

    /** Accepts everything with weight 1: a request without an {@code Accept}. */
    static final AcceptHeader ANY = new AcceptHeader(List.of());

    private final List<Range> ranges;

    private AcceptHeader(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Parses the field value (several fields joined with commas); null or blank accepts everything.
     * Elements that are not media ranges, or whose {@code q} is not a qvalue (0 to 1, three decimals at
     * most; {@link QualityList} parses the list), are skipped, as RFC 9110 lets a recipient do with what
     * it cannot parse; a value with no valid range at all accepts everything, as if absent.
     */
    static AcceptHeader parse(String value) {
        if (value == null || value.isBlank()) {
            return ANY;
        }
        List<Range> ranges = new ArrayList<>();
        for (QualityList.Element element : QualityList.parse(value)) {
            if (element.quality() == QualityList.MALFORMED) {
                continue;
            }
            MediaType range;
            try {
                range = MediaType.of(element.value());
            } catch (IllegalArgumentException e) {
                // one element we cannot read does not spoil the others
                continue;
            }
            if (!range.type().equals("*") || range.subtype().equals("*")) {
                ranges.add(new Range(range, element.quality() / 1000.0));
            }
        }
        return ranges.isEmpty() ? ANY : new AcceptHeader(List.copyOf(ranges));
    }

    /** Returns the weight the client gives {@code contentType}: that of the most specific range including it, 0 when none does. */
    double quality(MediaType contentType) {
        if (ranges.isEmpty()) {
            return 1;
        }
        Range best = null;
        for (Range r : ranges) {
            if (r.range().includes(contentType) && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best == null ? 0 : best.q();
    }
}
