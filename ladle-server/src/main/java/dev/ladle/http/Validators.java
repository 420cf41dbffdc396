package dev.ladle.http;

import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A file's validators (RFC 9110 section 8.8): a strong entity tag and the modification time.
 *
 * <p>The entity tag combines the size, the modification time to the nanosecond and the file's identity
 * (device and inode where the platform has them), so replacing a file, even by one of the same size
 * within the same second, gives a new tag. That makes it safe to use as a strong validator for ranges.
 * Whole seconds are what {@code Last-Modified} can say; the tag carries the nanoseconds, so two writes
 * within one second still change it.
 *
 * @param etag the quoted strong entity tag, for example {@code "1f-18b2c3d4e5f60789-2a"}
 * @param lastModified the modification time, truncated to whole seconds as HTTP dates are
 */
public record Validators(String etag, Instant lastModified) {

    /**
     * Computes the validators of a file from its attributes.
     *
     * @throws NullPointerException when {@code attributes} is null
     */
    public static Validators of(BasicFileAttributes attributes) {
        Instant modified = attributes.lastModifiedTime().toInstant();
        Object key = attributes.fileKey();
        String tag = '"' + Long.toHexString(attributes.size())
                + '-' + Long.toHexString(modified.getEpochSecond() * 1_000_000_000L + modified.getNano())
                + (key == null ? "" : '-' + Integer.toHexString(key.hashCode()))
                + '"';
        return new Validators(tag, modified.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Returns {@link #lastModified} as an HTTP date, for {@code Last-Modified}. */
    public String lastModifiedHeader() {
        return HttpDates.format(lastModified);
    }
}
