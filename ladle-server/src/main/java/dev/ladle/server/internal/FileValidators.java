package dev.ladle.server.internal;

import dev.ladle.http.Validators;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file's {@link Validators} with its {@code Last-Modified} already formatted, kept in a small table so
 * that a file served again and again does not build its entity tag and HTTP date per request (an
 * {@code Instant}, a {@code LocalDateTime} and two strings each time).
 *
 * <p>The table is keyed by exactly what the validators are computed from: the size, the modification
 * time to the nanosecond and the hash of the file key. An entry therefore never goes stale: a changed
 * file has another key and finds another entry (or computes its own). Direct-mapped and unsynchronized:
 * the entries are immutable, so a thread sees either a whole entry or none, and a lost write costs one
 * computation.
 *
 * @param size the file's size, part of the key
 * @param modifiedNanos the modification time in nanoseconds since the epoch, part of the key
 * @param keyHash the file key's hash, part of the key, 0 without a file key
 * @param hasKey whether the platform gave a file key (a key may hash to 0)
 * @param validators the validators
 * @param lastModified {@code validators.lastModified()} as an HTTP date
 */
record FileValidators(long size, long modifiedNanos, int keyHash, boolean hasKey, Validators validators,
        String lastModified) {
    /** A power of two: a server usually serves a few hot files, and a collision only costs a recomputation. */
    private static final int SLOTS = 256;
    private static final FileValidators[] TABLE = new FileValidators[SLOTS];

    /** Returns the validators of a file with these attributes, from the table when it has them. */
    static FileValidators of(BasicFileAttributes attributes) {
        long size = attributes.size();
        long nanos = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE) {
            // saturated (centuries away): two such times cannot be told apart, so they are not cached
            return compute(attributes, size, nanos, 0, false);
        }
        Object key = attributes.fileKey();
        int keyHash = key == null ? 0 : key.hashCode();
        int slot = slot(size, nanos, keyHash);
        FileValidators cached = TABLE[slot];
        if (cached != null && cached.size == size && cached.modifiedNanos == nanos && cached.keyHash == keyHash
                && cached.hasKey == (key != null)) {
            return cached;
        }
        FileValidators computed = compute(attributes, size, nanos, keyHash, key != null);
        TABLE[slot] = computed;
        return computed;
    }

    private static FileValidators compute(BasicFileAttributes attributes, long size, long nanos, int keyHash,
            boolean hasKey) {
        Validators validators = Validators.of(attributes);
        return new FileValidators(size, nanos, keyHash, hasKey, validators, validators.lastModifiedHeader());
    }

    private static int slot(long size, long nanos, int keyHash) {
        long h = size * 31 + nanos;
        int mixed = (int) (h ^ (h >>> 32)) * 31 + keyHash;
        return (mixed ^ (mixed >>> 16)) & (SLOTS - 1);
    }
}
