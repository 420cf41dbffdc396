package dev.ladle.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Refuses replayed Digest requests: remembers the highest nonce count used with each nonce and accepts
 * only higher ones. Memory is bounded: when full, nonces past their lifetime are dropped first (expiry
 * refuses them anyway), then the least recently used one. A dropped nonce must never become usable
 * again, so the counter remembers the latest issue time among the nonces it dropped and refuses any
 * unknown nonce issued no later than that; its client just gets a fresh nonce ({@code stale=true}).
 *
 * <p>Thread-safe. Only requests whose digest already checked out reach it, so a forger cannot use up
 * another client's counts.
 */
final class NonceCounter {
    private static final class Seen {
        final long issuedAt;
        long highestCount;

        Seen(long issuedAt, long count) {
            this.issuedAt = issuedAt;
            this.highestCount = count;
        }
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Seen> byNonce = new LinkedHashMap<>(64, 0.75f, true);
    private long droppedIssuedUpTo = Long.MIN_VALUE;

    /** Creates a counter that remembers at most {@code capacity} nonces. */
    NonceCounter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Records that {@code nonce} was used with nonce count {@code count}.
     *
     * @param nonce a nonce already verified as ours
     * @param issuedAt when it was issued (epoch milliseconds)
     * @param count the request's nonce count, at least 1
     * @param expiredBefore nonces issued before this time are past their lifetime and may be dropped
     * @return true when {@code count} is higher than any count used before with this nonce
     */
    boolean advance(String nonce, long issuedAt, long count, long expiredBefore) {
        lock.lock();
        try {
            Seen seen = byNonce.get(nonce);
            if (seen != null) {
                if (count <= seen.highestCount) {
                    return false;
                }
                seen.highestCount = count;
                return true;
            }
            if (issuedAt <= droppedIssuedUpTo) {
                return false;
            }
            byNonce.put(nonce, new Seen(issuedAt, count));
            if (byNonce.size() > capacity) {
                makeRoom(expiredBefore);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many nonces are remembered. */
    int size() {
        lock.lock();
        try {
            return byNonce.size();
        } finally {
            lock.unlock();
        }
    }

    private void makeRoom(long expiredBefore) {
        byNonce.values().removeIf(s -> s.issuedAt < expiredBefore);
        Iterator<Map.Entry<String, Seen>> eldest = byNonce.entrySet().iterator();
        while (byNonce.size() > capacity && eldest.hasNext()) {
            Seen dropped = eldest.next().getValue();
            droppedIssuedUpTo = Math.max(droppedIssuedUpTo, dropped.issuedAt);
            eldest.remove();
        }
    }
}
