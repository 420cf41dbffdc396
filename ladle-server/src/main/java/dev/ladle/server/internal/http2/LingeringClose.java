package dev.ladle.server.internal.http2;

import java.io.IOException;

/**
 * Closes a connection's socket, at once or after lingering. Closing a socket with unread input makes
 * the kernel send RST, which can destroy our GOAWAY (or a last response) before the peer reads it;
 * reading and dropping the peer's late frames for a moment lets the peer see the end cleanly. Any
 * thread; the closer is idempotent.
 */
final class LingeringClose {
    /** How long a closing connection keeps reading after its GOAWAY. */
    static final long LINGER_MILLIS = 1000;
    /** The most late input a closing connection reads and drops. */
    static final long LINGER_BYTES = 1 << 20;

    private final Runnable closer;
    private final FrameWriter writer;

    /**
     * @param closer closes the underlying socket (any thread, idempotent)
     * @param writer the connection's writer, flushed before a drained connection closes
     */
    LingeringClose(Runnable closer, FrameWriter writer) {
        this.closer = closer;
        this.writer = writer;
    }

    /** Closes the socket now; streams in flight see their I/O fail. */
    void closeNow() {
        closer.run();
    }

    /**
     * Closes the socket after {@link #LINGER_MILLIS}; meanwhile the reader drops what the peer still
     * sends (and ends at once if the peer closes first).
     */
    void closeSoon() {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                // close now
            }
            closer.run();
        });
    }

    /**
     * Pushes out what is buffered, then closes soon; both on a new thread, so a caller holding the
     * state lock never waits for the socket.
     */
    void flushThenCloseSoon() {
        Thread.ofVirtual().start(() -> {
            try {
                writer.flushNow();
            } catch (IOException e) {
                // closing anyway
            }
            closeSoon();
        });
    }
}
