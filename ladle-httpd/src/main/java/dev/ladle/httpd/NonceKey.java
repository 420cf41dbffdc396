package dev.ladle.httpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --nonce-key-file}: the key that signs Digest nonces, read from a file so that it never shows in
 * a process listing. Every instance behind one balancer reads the same file, so a nonce one of them
 * issued is accepted by the others.
 */
final class NonceKey {
    /** The shortest key accepted, as the core requires: 128 bits. */
    static final int MIN_BYTES = 16;
    /** The longest key read: a larger file is surely the wrong one. */
    static final int MAX_BYTES = 4096;

    private NonceKey() {
    }

    /**
     * Returns the bytes of {@code file}, all of them (a trailing newline included), or null when no file
     * was given.
     *
     * @throws StartupException when the file cannot be read or holds fewer than {@value #MIN_BYTES} or more
     *     than {@value #MAX_BYTES} bytes
     */
    static byte[] read(Path file) {
        if (file == null) {
            return null;
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new StartupException("--nonce-key-file " + file + ": larger than " + MAX_BYTES + " bytes; is it the key?");
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length < MIN_BYTES) {
                throw new StartupException("--nonce-key-file " + file + ": holds " + key.length + " bytes, at least "
                        + MIN_BYTES + " needed (make one with: head -c 32 /dev/urandom > " + file + ")");
            }
            return key;
        } catch (IOException e) {
            throw new StartupException("--nonce-key-file " + file + ": cannot read it: " + e.getMessage());
        }
    }
}
