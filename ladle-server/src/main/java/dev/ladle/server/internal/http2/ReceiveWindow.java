package dev.ladle.server.internal.http2;

/**
 * A receive flow-control window: the credit we granted the peer, and the consumed bytes not yet given
 * back. Credit is returned in batches of half the window, so a busy stream costs one WINDOW_UPDATE per
 * half window rather than one per read, while a handler that stops reading stops the sender once the
 * window is used up (back-pressure with bounded buffering). Guarded by the connection's state lock.
 */
final class ReceiveWindow {
    private final int size;
    private long window;
    private int unreturned;

    ReceiveWindow(int size) {
        this.size = size;
        this.window = size;
    }

    /**
     * Accounts for {@code n} bytes the peer sent (a whole DATA frame, padding included).
     *
     * @return false when the peer exceeded the credit we granted
     */
    boolean receive(int n) {
        window -= n;
        return window >= 0;
    }

    /**
     * Records {@code n} bytes as consumed (read, discarded or padding).
     *
     * @return the increment to send in a WINDOW_UPDATE now, or 0 to keep batching
     */
    int consume(int n) {
        unreturned += n;
        if (unreturned < size / 2) {
            return 0;
        }
        int increment = unreturned;
        unreturned = 0;
        window += increment;
        return increment;
    }
}
