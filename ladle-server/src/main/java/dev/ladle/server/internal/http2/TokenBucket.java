package dev.ladle.server.internal.http2;

/**
 * A budget for something a peer may do now and then but not in a flood (resets, empty DATA frames,
 * SETTINGS, PINGs): {@code capacity} tokens that refill at {@code perSecond}. Used by the reader thread
 * only (or under the state lock).
 */
final class TokenBucket {
    private final int capacity;
    private final long nanosPerToken;
    private long tokens;
    private long lastRefill;

    TokenBucket(int capacity, int perSecond) {
        this.capacity = capacity;
        this.nanosPerToken = 1_000_000_000L / Math.max(1, perSecond);
        this.tokens = capacity;
        this.lastRefill = System.nanoTime();
    }

    /** Takes one token; false when the budget is spent. */
    boolean take() {
        if (tokens < capacity) {
            long now = System.nanoTime();
            long refill = (now - lastRefill) / nanosPerToken;
            if (refill > 0) {
                tokens = Math.min(capacity, tokens + refill);
                lastRefill += refill * nanosPerToken;
            }
        } else {
            lastRefill = System.nanoTime();
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
