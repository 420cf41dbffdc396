package dev.ladle.http;

/**
 * One byte range of a {@code Range} or {@code Content-Range} header, with inclusive bounds.
 *
 * <p>In a range as sent by a client, {@code start} may be negative to mean a suffix range
 * ({@code bytes=-N} is {@code start = -N, end = -1}) and {@code end} may be {@code -1} to mean "to the
 * end"; {@link MessageHeaders#getRanges(long)} resolves both against a known length.
 *
 * @param start the first byte offset (or minus the suffix length)
 * @param end the last byte offset, inclusive, or {@code -1} for "to the end"
 */
public record Range(long start, long end) {
    /** Returns the number of bytes this resolved range covers. */
    public long length() {
        return end - start + 1;
    }
}
