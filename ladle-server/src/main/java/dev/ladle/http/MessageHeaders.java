package dev.ladle.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: case-insensitive names, insertion order kept, names may repeat.
 *
 * <p>Names must be RFC 9110 tokens and values may not contain control characters (CR, LF, NUL...);
 * {@link #append} and {@link #replace} throw {@link IllegalArgumentException} otherwise, so a handler can
 * never split a response. Not thread-safe: a message's headers belong to the thread handling it.
 */
public final class MessageHeaders {
    /** Names and values interleaved: {@code [name0, value0, name1, value1, ...]}. */
    private String[] fields;
    private int size;
    /** The framing chosen with {@link #setEncoding} that no header expresses (EOF, NONE), or null. */
    private Encoding explicitEncoding;

    /** Creates an empty header set. */
    public MessageHeaders() {
        fields = new String[8];
    }

    /** Returns the number of fields (repeated names count once per occurrence). */
    public int size() {
        return size;
    }

    /** Returns true when there is no field. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the name of the field at {@code index} (0-based, in order). */
    public String nameAt(int index) {
        checkIndex(index);
        return fields[2 * index];
    }

    /** Returns the value of the field at {@code index} (0-based, in order). */
    public String valueAt(int index) {
        checkIndex(index);
        return fields[2 * index + 1];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("header index " + index + " of " + size);
        }
    }

    /**
     * Adds a field after the existing ones, keeping any fields of the same name.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a control character
     */
    public void append(String name, String value) {
        validate(name, value);
        appendTrusted(name, value);
    }

    /**
     * Adds a field whose name and value the caller has already validated (the request parser does so
     * while reading); skips the per-character checks of {@link #append}.
     */
    void appendTrusted(String name, String value) {
        if (2 * size + 2 > fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    /** Replaces every field named {@code name} with one field holding {@code value}. */
    public void replace(String name, String value) {
        validate(name, value);
        int first = indexOf(name, 0);
        if (first < 0) {
            appendTrusted(name, value);
            return;
        }
        fields[2 * first + 1] = value;
        removeFrom(name, first + 1);
    }

    /** Removes every field named {@code name}; does nothing when there is none. */
    public void remove(String name) {
        int first = indexOf(name, 0);
        if (first >= 0) {
            removeFrom(name, first);
        }
    }

    private void removeFrom(String name, int start) {
        int out = start;
        for (int i = start; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * out] = fields[2 * i];
                fields[2 * out + 1] = fields[2 * i + 1];
                out++;
            }
        }
        Arrays.fill(fields, 2 * out, 2 * size, null);
        size = out;
    }

    /** Removes every field. */
    public void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
        explicitEncoding = null;
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Returns true when at least one field is named {@code name}. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Returns the value of a header that may occur only once. When it occurs several times, returns the
     * last value (as libsoup does for single-valued headers).
     *
     * @return the value, or null when absent
     */
    public String getOne(String name) {
        for (int i = size - 1; i >= 0; i--) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    /**
     * Returns the values of a list-valued header joined with {@code ", "} (RFC 9110 section 5.3).
     *
     * @return the joined value, or null when absent
     */
    public String getList(String name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return null;
        }
        int next = indexOf(name, first + 1);
        if (next < 0) {
            return fields[2 * first + 1];
        }
        StringBuilder sb = new StringBuilder(fields[2 * first + 1]);
        for (int i = next; i >= 0; i = indexOf(name, i + 1)) {
            sb.append(", ").append(fields[2 * i + 1]);
        }
        return sb.toString();
    }

    /** Returns every value of {@code name} in order; empty when absent. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            values.add(fields[2 * i + 1]);
        }
        return values;
    }

    /** Returns the distinct names in order of first appearance, as first written. */
    public List<String> names() {
        List<String> names = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String name = fields[2 * i];
            if (names.stream().noneMatch(name::equalsIgnoreCase)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Calls {@code action} with each field's name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(fields[2 * i], fields[2 * i + 1]);
        }
    }

    /**
     * Returns true when the list-valued header {@code name} has {@code token} as one of its elements,
     * compared case-insensitively (for example {@code Connection: keep-alive, Upgrade} contains
     * {@code upgrade}). Parameters after a {@code ;} are ignored.
     */
    public boolean headerContains(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (listContains(fields[2 * i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** Returns true when {@code list}, a comma-separated header value, has {@code token} as an element. */
    public static boolean listContains(String list, String token) {
        int start = 0;
        int n = list.length();
        while (start <= n) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int semi = list.indexOf(';', start);
            int elementEnd = semi >= 0 && semi < end ? semi : end;
            int s = start;
            int e = elementEnd;
            while (s < e && isSpace(list.charAt(s))) {
                s++;
            }
            while (e > s && isSpace(list.charAt(e - 1))) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Returns true when the header {@code name} is present and equal to {@code value}, ignoring case. */
    public boolean headerEquals(String name, String value) {
        String v = getOne(name);
        return v != null && v.trim().equalsIgnoreCase(value);
    }

    /**
     * Returns the {@code Content-Length}, or -1 when absent or not a valid non-negative number.
     * Identical repeated values (as a list or as repeated fields) count as one.
     */
    public long getContentLength() {
        String value = getList("Content-Length");
        return value == null ? -1 : parseContentLength(value);
    }

    /**
     * Parses a Content-Length value that may be a list of identical values.
     *
     * @return the length, or -1 when malformed or the values differ
     */
    public static long parseContentLength(String value) {
        long result = -1;
        for (String part : value.split(",", -1)) {
            long n = parseDigits(part.trim());
            if (n < 0 || result >= 0 && n != result) {
                return -1;
            }
            result = n;
        }
        return result;
    }

    /** Parses 1 to 18 ASCII digits; returns -1 for anything else. */
    static long parseDigits(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Sets {@code Content-Length} and removes {@code Transfer-Encoding}. */
    public void setContentLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative Content-Length: " + length);
        }
        remove("Transfer-Encoding");
        explicitEncoding = null;
        replace("Content-Length", Long.toString(length));
    }

    /**
     * Returns the framing these headers describe: {@link Encoding#CHUNKED} when the last transfer coding
     * is chunked, {@link Encoding#UNRECOGNIZED} for any other transfer coding,
     * {@link Encoding#CONTENT_LENGTH} when a Content-Length is present, otherwise whatever
     * {@link #setEncoding} chose ({@link Encoding#NONE} by default).
     */
    public Encoding getEncoding() {
        String te = getList("Transfer-Encoding");
        if (te != null) {
            String[] codings = te.split(",");
            return codings[codings.length - 1].trim().equalsIgnoreCase("chunked") ? Encoding.CHUNKED : Encoding.UNRECOGNIZED;
        }
        if (contains("Content-Length")) {
            return Encoding.CONTENT_LENGTH;
        }
        return explicitEncoding == null ? Encoding.NONE : explicitEncoding;
    }

    /**
     * Chooses the body framing. {@code CHUNKED} sets {@code Transfer-Encoding: chunked} and removes any
     * Content-Length; {@code CONTENT_LENGTH} removes Transfer-Encoding (set the length with
     * {@link #setContentLength}, or let the server compute it); {@code EOF} and {@code NONE} remove both.
     *
     * @throws IllegalArgumentException for {@code UNRECOGNIZED} or {@code BYTE_RANGES}
     */
    public void setEncoding(Encoding encoding) {
        switch (encoding) {
            case CHUNKED -> {
                remove("Content-Length");
                replace("Transfer-Encoding", "chunked");
                explicitEncoding = null;
            }
            case CONTENT_LENGTH -> {
                remove("Transfer-Encoding");
                explicitEncoding = contains("Content-Length") ? null : Encoding.CONTENT_LENGTH;
            }
            case EOF, NONE -> {
                remove("Transfer-Encoding");
                remove("Content-Length");
                explicitEncoding = encoding;
            }
            default -> throw new IllegalArgumentException("cannot set encoding " + encoding);
        }
    }

    /** Returns the expectations of the {@code Expect} header: empty when absent. */
    public Set<Expectation> getExpectations() {
        String value = getList("Expect");
        if (value == null) {
            return Collections.emptySet();
        }
        Set<Expectation> result = EnumSet.noneOf(Expectation.class);
        for (String part : value.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            result.add(item.equalsIgnoreCase("100-continue") ? Expectation.CONTINUE : Expectation.UNRECOGNIZED);
        }
        return result;
    }

    /** Sets the {@code Expect} header; {@code UNRECOGNIZED} cannot be set. */
    public void setExpectations(Set<Expectation> expectations) {
        if (expectations.contains(Expectation.UNRECOGNIZED)) {
            throw new IllegalArgumentException("cannot set an unrecognized expectation");
        }
        if (expectations.isEmpty()) {
            remove("Expect");
        } else {
            replace("Expect", "100-continue");
        }
    }

    /** Returns the media type of {@code Content-Type} without parameters (for example {@code text/html}), or null. */
    public String getContentType() {
        HeaderValue value = HeaderValue.parse(getOne("Content-Type"));
        return value == null || value.value().isEmpty() ? null : value.value();
    }

    /** Returns the parameters of {@code Content-Type} (names lower-cased); empty when absent. */
    public Map<String, String> getContentTypeParameters() {
        HeaderValue value = HeaderValue.parse(getOne("Content-Type"));
        return value == null ? Map.of() : value.parameters();
    }

    /** Sets {@code Content-Type} to {@code type} with {@code params} (may be null). */
    public void setContentType(String type, Map<String, String> params) {
        replace("Content-Type", new HeaderValue(type, params).format());
    }

    /** Returns the parsed {@code Content-Disposition}, or null when absent. */
    public HeaderValue getContentDisposition() {
        return HeaderValue.parse(getOne("Content-Disposition"));
    }

    /** Sets {@code Content-Disposition} to {@code disposition} with {@code params} (may be null). */
    public void setContentDisposition(String disposition, Map<String, String> params) {
        replace("Content-Disposition", new HeaderValue(disposition, params).format());
    }

    /**
     * Resolves the {@code Range} header against a representation of {@code totalLength} bytes
     * (RFC 9110 section 14.2): suffix and open ranges are resolved, ranges past the end are clipped,
     * unsatisfiable members are dropped, and the rest are sorted with overlapping ones merged.
     *
     * @return null when there is no Range header or it is not a valid {@code bytes} range set (the
     *     server then ignores it); an empty list when it is valid but nothing in it is satisfiable (416)
     */
    public List<Range> getRanges(long totalLength) {
        String value = getOne("Range");
        return value == null ? null : RangeSets.parse(value, totalLength);
    }

    /** Sets {@code Range} to one range. */
    public void setRange(long start, long end) {
        setRanges(List.of(new Range(start, end)));
    }

    /** Sets {@code Range} to a list of ranges, in the request syntax ({@code start < 0} is a suffix). */
    public void setRanges(List<Range> ranges) {
        replace("Range", RangeSets.format(ranges));
    }

    /**
     * Returns the {@code Content-Range} of a 206 response as a range plus total, as
     * {@code long[] {start, end, total}} with {@code total = -1} for {@code *}; null when absent or invalid.
     */
    public long[] getContentRange() {
        return RangeSets.parseContentRange(getOne("Content-Range"));
    }

    /** Sets {@code Content-Range: bytes start-end/total}; {@code total < 0} writes {@code *}. */
    public void setContentRange(long start, long end, long total) {
        replace("Content-Range", "bytes " + start + "-" + end + "/" + (total < 0 ? "*" : Long.toString(total)));
    }

    private static void validate(String name, String value) {
        if (name == null || !Tokens.isToken(name)) {
            throw new IllegalArgumentException("invalid header name: " + printable(name));
        }
        if (value == null) {
            throw new IllegalArgumentException("null value for header " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Tokens.isFieldValueChar(value.charAt(i))) {
                throw new IllegalArgumentException("header " + name + " has a control or non-Latin-1 character at index " + i);
            }
        }
    }

    private static String printable(String s) {
        return s == null ? "null" : '"' + s.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }
}
