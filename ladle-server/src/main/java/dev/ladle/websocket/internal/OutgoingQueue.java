package dev.ladle.websocket.internal;

import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketState;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages a broadcast group still owes one connection, and the virtual thread that sends them.
 *
 * <p>A connection's send blocks while its peer reads slowly, so each member gets its own sender: a
 * peer that takes nothing holds up its own queue and no one else's. One sender at a time per queue
 * keeps the member's messages in order; it runs only while there is something to send, so an idle
 * member holds no thread.
 */
public final class OutgoingQueue {
    private static final System.Logger LOG = System.getLogger(OutgoingQueue.class.getName());

    /**
     * One message to send.
     *
     * @param type text or binary
     * @param data the payload (text as UTF-8); shared by every member's queue and never changed
     */
    public record Message(DataType type, byte[] data) {
    }

    private final WebSocketConnection connection;
    private final int capacity;
    private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
    /** Messages waiting, not counting the one being written. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** True while a sender thread runs for this queue. */
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean discarded;

    /**
     * Creates the queue of {@code connection}.
     *
     * @param capacity the most messages that may wait behind the one being written
     */
    public OutgoingQueue(WebSocketConnection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
    }

    /**
     * Queues {@code message} and starts a sender unless one runs already; never blocks.
     *
     * @return false, queueing nothing, when {@code capacity} messages wait already or the queue was discarded
     */
    public boolean offer(Message message) {
        if (discarded) {
            return false;
        }
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            return false;
        }
        queue.add(message);
        if (sending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ladle-websocket-group-sender").start(this::drain);
        }
        return true;
    }

    /** Drops what waits and everything offered later; a write under way finishes or fails on its own. */
    public void discard() {
        discarded = true;
        queue.clear();
    }

    private void drain() {
        while (true) {
            Message message;
            while ((message = queue.poll()) != null) {
                waiting.decrementAndGet();
                send(message);
            }
            sending.set(false);
            // an offer that came after the last poll but saw the sender still running started none: go on
            if (queue.isEmpty() || !sending.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void send(Message message) {
        if (discarded || connection.getState() != WebSocketState.OPEN) {
            return;
        }
        try {
            connection.sendMessage(message.type(), message.data());
        } catch (IllegalStateException e) {
            // the connection began closing after the check: it leaves the group when it closes
            LOG.log(System.Logger.Level.DEBUG, "broadcast skipped a connection that is closing: {0}", e.getMessage());
        } catch (RuntimeException e) {
            // one member's failure (an extension that throws) must not reach the others or the caller
            LOG.log(System.Logger.Level.DEBUG, "broadcast to one WebSocket connection failed", e);
        }
    }
}
