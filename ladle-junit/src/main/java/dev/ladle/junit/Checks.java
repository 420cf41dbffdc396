package dev.ladle.junit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The argument check and the bounded wait that the mock server's classes share. */
final class Checks {
    private Checks() {
    }

    /** Returns {@code path} when it is absolute; stubs, endpoints and URIs all take absolute paths. */
    static String requirePath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return path;
    }

    /**
     * Takes the head of {@code queue}, waiting up to {@code timeout}; null when none came in time.
     *
     * @throws AssertionError when the waiting thread is interrupted (the test is being stopped)
     */
    static <T> T poll(BlockingQueue<T> queue, Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
