package dev.ladle.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Parsing and formatting of {@code Range} and {@code Content-Range} values (RFC 9110 section 14). */
final class RangeSets {
    /** More members than this are a denial-of-service attempt, not a real client: the header is ignored. */
    private static final int MAX_MEMBERS = 100;

    private RangeSets() {
    }

    static List<Range> parse(String header, long total) {
        String value = header.trim();
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return null;
        }
        String[] members = value.substring(eq + 1).split(",", -1);
        if (members.length > MAX_MEMBERS) {
            return null;
        }
        List<Range> satisfiable = new ArrayList<>();
        boolean anyMember = false;
        for (String raw : members) {
            String member = raw.trim();
            if (member.isEmpty()) {
                continue;
            }
            anyMember = true;
            int dash = member.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String first = member.substring(0, dash).trim();
            String last = member.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = parseNumber(last);
                if (suffix < 0) {
                    return null;
                }
                // a zero-length suffix is valid but unsatisfiable (RFC 9110 section 14.1.1)
                if (suffix > 0 && total > 0) {
                    satisfiable.add(new Range(Math.max(0, total - suffix), total - 1));
                }
                continue;
            }
            long start = parseNumber(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : parseNumber(last);
            if (start < 0 || end < 0 || end < start) {
                return null;
            }
            if (start < total) {
                satisfiable.add(new Range(start, Math.min(end, total - 1)));
            }
        }
        if (!anyMember) {
            return null;
        }
        return merge(satisfiable);
    }

    private static List<Range> merge(List<Range> ranges) {
        if (ranges.size() < 2) {
            return ranges;
        }
        ranges.sort(Comparator.comparingLong(Range::start));
        List<Range> merged = new ArrayList<>(ranges.size());
        Range current = ranges.get(0);
        for (int i = 1; i < ranges.size(); i++) {
            Range next = ranges.get(i);
            if (next.start() <= current.end()) {
                current = new Range(current.start(), Math.max(current.end(), next.end()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged;
    }

    private static long parseNumber(String digits) {
        return MessageHeaders.parseDigits(digits);
    }

    static String format(List<Range> ranges) {
        StringBuilder sb = new StringBuilder("bytes=");
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (r.start() < 0) {
                sb.append(r.start());
            } else {
                sb.append(r.start()).append('-');
                if (r.end() >= 0) {
                    sb.append(r.end());
                }
            }
        }
        return sb.toString();
    }

    static long[] parseContentRange(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        v = v.substring(6).trim();
        int slash = v.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String totalText = v.substring(slash + 1).trim();
        long total = totalText.equals("*") ? -1 : parseNumber(totalText);
        if (total < -1 || (total == -1 && !totalText.equals("*"))) {
            return null;
        }
        String span = v.substring(0, slash).trim();
        if (span.equals("*")) {
            return new long[] {-1, -1, total};
        }
        int dash = span.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long start = parseNumber(span.substring(0, dash));
        long end = parseNumber(span.substring(dash + 1));
        if (start < 0 || end < start) {
            return null;
        }
        return new long[] {start, end, total};
    }
}
