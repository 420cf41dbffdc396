package dev.ladle.server.internal;

import java.io.IOException;

/**
 * How a protocol reader that waits for its peer between messages (a WebSocket between frames, HTTP/2
 * with no stream open) lets its connection wait without a thread, in the server's
 * {@link IdleSelector}. The reader asks at each wait with nothing buffered; the connection waits a
 * short while on its thread first, so that a busy connection never parks.
 *
 * <p>Reader thread only.
 */
public interface IdleParking {
    /** Reads once into the reader's buffer, which is empty before the call. */
    @FunctionalInterface
    interface Read {
        /**
         * @return the number of bytes read, or -1 at the end of the stream
         * @throws java.net.SocketTimeoutException when nothing came within the read timeout
         */
        int read() throws IOException;
    }

    /** What a new thread runs to go on reading once the parked connection is resumed. */
    @FunctionalInterface
    interface Resume {
        /** Goes on reading; returns when the reader parked again or the connection is over. */
        void run() throws IOException;
    }

    /**
     * Waits for the peer in steps of the park threshold: calls {@code read} under that read timeout
     * (then the read timeout is 0, none, again) until it returns, or a step passed quietly at a moment
     * {@code mayPark} allows a park (a reader that cannot park yet, an HTTP/2 connection with a stream
     * still answering, waits on, so that it parks once it can).
     *
     * @return false when the read returned (bytes, or the end of the stream): the reader goes on as
     *     usual; true when it parks: the reader lets its buffers go and returns up its stack without
     *     ending the connection, which then waits without a thread and runs {@code resume} on a new
     *     thread when the peer sends again, closes, or another thread writes to it
     */
    boolean parkIfIdle(Read read, java.util.function.BooleanSupplier mayPark, Resume resume) throws IOException;
}
