package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pausing a message ({@code ServerMessage.pause()}), for either protocol: the pipeline's thread parks
 * while the message is paused, {@link #unpause} from any thread wakes it, and the end of the connection
 * (HTTP/1) or of the stream (HTTP/2) wakes it with an error. Never {@code synchronized}: the wait is a
 * {@link ReentrantLock} condition, so a parked virtual thread frees its carrier.
 */
final class PauseGate {
    /** What to do, lock held, just before a paused message waits: send what was written, watch the peer. */
    @FunctionalInterface
    interface BeforeWait {
        void run(Exchange ex) throws IOException;
    }

    /** Guards the paused flag and the wait; also the lock of the connection's other cross-thread paths. */
    final ReentrantLock lock = new ReentrantLock();
    private final Condition unpaused = lock.newCondition();
    private final BeforeWait beforeWait;
    private final String endedMessage;
    private volatile boolean closed;

    /**
     * @param beforeWait runs before each wait of a paused message
     * @param endedMessage the message of the exception a wait ends with when the peer left
     */
    PauseGate(BeforeWait beforeWait, String endedMessage) {
        this.beforeWait = beforeWait;
        this.endedMessage = endedMessage;
    }

    void pause(Exchange ex) {
        lock.lock();
        try {
            ex.paused = true;
        } finally {
            lock.unlock();
        }
    }

    void unpause(Exchange ex) {
        lock.lock();
        try {
            ex.paused = false;
            unpaused.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Parks while {@code ex} is paused; throws when the peer left meanwhile. */
    void awaitUnpaused(Exchange ex) throws IOException {
        lock.lock();
        try {
            parkWhilePaused(ex);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the body data at {@code offset}, pausing the message until the handler appends some and
     * unpauses it; an empty buffer once the body is complete.
     */
    ByteBuffer awaitChunk(Exchange ex, MessageBody body, long offset) throws IOException {
        lock.lock();
        try {
            ByteBuffer chunk;
            while ((chunk = body.getChunk(offset)) == null) {
                ex.paused = true;
                parkWhilePaused(ex);
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** The wait of a paused message; the caller holds {@link #lock}. */
    private void parkWhilePaused(Exchange ex) throws IOException {
        if (ex.paused) {
            beforeWait.run(ex);
        }
        while (ex.paused && !closed) {
            unpaused.awaitUninterruptibly();
        }
        if (closed) {
            throw new java.io.EOFException(endedMessage);
        }
    }

    /** Marks the peer gone and wakes a paused wait, which then fails. From any thread. */
    void markClosed() {
        lock.lock();
        try {
            closed = true;
            unpaused.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns true once {@link #markClosed} ran. */
    boolean isClosed() {
        return closed;
    }
}
