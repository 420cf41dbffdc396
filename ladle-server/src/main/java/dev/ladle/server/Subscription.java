package dev.ladle.server;

/**
 * A registered event listener. Closing it removes the listener; closing twice is harmless.
 * Returned by every {@code onX(...)} method of {@link Server} and {@link ServerMessage}.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Removes the listener. */
    @Override
    void close();
}
