package dev.ladle.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct buffers that large request bodies on plain HTTP/1.1 connections are read into, one pool per
 * server: the socket reads into them and writes from them without the copy the JDK makes for heap
 * arrays, and a body that only passes through (an echo, a proxy) never lands in the Java heap, where
 * thousands of large short-lived arrays per second make G1 grow the heap to its cap.
 *
 * <p>A block is lent to one exchange and comes back when the exchange ends ({@link #giveBack}); one
 * that escaped to application code is dropped instead (the garbage collector frees it). The blocks
 * lent are bounded by the body memory budget ({@code Limits.getRequestBodyMemoryBudget()}), which they
 * are counted against. The pool keeps free up to twice as many blocks as are lent at the time, and at
 * least {@link #MIN_RETAINED}: a direct buffer is freed only by the garbage collector, which runs rarely
 * when bodies stay out of the heap, so a steady load must find its blocks here rather than drop and
 * allocate them, while what a burst left behind goes once the burst is over. Thread-safe; the lock guards only the free
 * list.
 */
public final class BodyBufferPool {
    /** The size of a block: what one socket read fills at most. */
    public static final int BLOCK_SIZE = 256 * 1024;
    /** Free blocks kept however few are lent (16 MiB). */
    static final int MIN_RETAINED = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final AtomicLong lent = new AtomicLong();

    /** Lends a block, cleared; a new one when none is free. */
    PooledBlock take() {
        ByteBuffer buffer;
        lock.lock();
        try {
            buffer = free.pollFirst();
        } finally {
            lock.unlock();
        }
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(BLOCK_SIZE);
        }
        lent.incrementAndGet();
        return new PooledBlock(buffer.clear());
    }

    /**
     * Takes a lent block back: kept for reuse unless it escaped; then the free blocks beyond what the
     * load needs go (the oldest first), so that a burst does not stay in memory.
     */
    void giveBack(PooledBlock block) {
        long keep = Math.max(MIN_RETAINED, 2 * lent.decrementAndGet());
        lock.lock();
        try {
            if (!block.escaped()) {
                free.addFirst(block.buffer());
            }
            while (free.size() > keep) {
                free.pollLast();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the blocks lent and not given back: 0 when no exchange holds one. */
    public long lent() {
        return lent.get();
    }

    /** Returns the free blocks kept for reuse. */
    public int retained() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }
}
