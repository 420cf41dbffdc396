package dev.ladle.server.internal.http2;

/**
 * A send flow-control window (RFC 9113 §6.9): credit the peer granted us. May go negative when the peer
 * lowers SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2). Not thread-safe: guarded by the connection's state lock.
 */
final class FlowWindow {
    private long size;

    FlowWindow(int initial) {
        this.size = initial;
    }

    /** The credit usable now, 0 when the window is empty or negative. */
    int available() {
        return size <= 0 ? 0 : (int) size;
    }

    /** Uses {@code n} bytes of credit; the caller checked {@link #available()}. */
    void consume(int n) {
        size -= n;
    }

    /**
     * Adds {@code delta} (negative for a lowered initial window).
     *
     * @return false when the window would exceed 2^31-1 (a FLOW_CONTROL_ERROR); the window is then unchanged
     */
    boolean adjust(long delta) {
        long next = size + delta;
        if (next > SettingsParameter.MAX_WINDOW_SIZE) {
            return false;
        }
        size = next;
        return true;
    }
}
