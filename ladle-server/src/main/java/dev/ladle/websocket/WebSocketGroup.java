package dev.ladle.websocket;

import dev.ladle.server.Subscription;
import dev.ladle.websocket.internal.OutgoingQueue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A set of WebSocket connections that messages are broadcast to: a chat room, the viewers of a live
 * page.
 * <pre>{@code
 * WebSocketGroup room = new WebSocketGroup();
 * server.addWebSocketHandler("/chat", (srv, msg, path, conn) -> {
 *     room.add(conn);
 *     conn.onText(room::sendText);
 * });
 * }</pre>
 *
 * <p><b>Membership.</b> A connection stays a member from {@link #add} until {@link #remove}, until
 * the {@link Subscription} that {@code add} returned is closed, or until the connection closes, which
 * drops it by itself ({@link #size()} goes down without the application doing anything).
 *
 * <p><b>Sending.</b> {@link #sendText}, {@link #sendBinary} and {@link #sendMessage} never block and
 * never throw because of a member: they queue the message for each member that is
 * {@link WebSocketState#OPEN} (members that are closing or closed are skipped) and return. Each member
 * has its own queue, sent by a virtual thread of its own while the queue is not empty, so:
 * <ul>
 *   <li>every member receives the group's messages in the order the send calls were made (calls from
 *       several threads are ordered by a lock, the same order for every member);</li>
 *   <li>a member whose peer reads slowly or not at all holds up only its own messages: the others keep
 *       receiving. A peer that takes nothing for the server's
 *       {@linkplain dev.ladle.server.Limits#getWriteTimeout() write timeout} is cut off and closes;</li>
 *   <li>a member whose queue already holds {@link #getMaxQueuedMessages()} messages when another comes
 *       is dropped from the group and closed with {@link CloseCode#POLICY_VIOLATION} ("too slow"), so
 *       that a stalled peer cannot make the group keep messages without bound. The close frame goes
 *       out once the member's write under way ends;</li>
 *   <li>a send that fails (the connection closed in the meantime, an I/O error) affects that member
 *       only; failures are logged at {@code DEBUG} and reported to the connection's own
 *       {@link WebSocketConnection#onError} listeners as usual.</li>
 * </ul>
 * Messages the application sends on a member directly ({@link WebSocketConnection#sendText}) are
 * ordered with the group's only as the two senders happen to take the connection's send lock.
 *
 * <p>Thread-safe: every method may be called from any thread, listeners included.
 */
public final class WebSocketGroup {
    /** The default of {@link #getMaxQueuedMessages()}. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1024;

    private static final System.Logger LOG = System.getLogger(WebSocketGroup.class.getName());

    private record Member(OutgoingQueue queue, Subscription onClosed) {
    }

    private final int maxQueuedMessages;
    private final Map<WebSocketConnection, Member> members = new ConcurrentHashMap<>();
    /** Makes concurrent broadcasts reach every member in one order; held only while queueing, never while writing. */
    private final ReentrantLock broadcastLock = new ReentrantLock();

    /** Creates an empty group with {@link #DEFAULT_MAX_QUEUED_MESSAGES} as the bound of each member's queue. */
    public WebSocketGroup() {
        this(DEFAULT_MAX_QUEUED_MESSAGES);
    }

    /**
     * Creates an empty group.
     *
     * @param maxQueuedMessages how many messages may wait for one member (behind the one being written)
     *     before the member is dropped as too slow
     * @throws IllegalArgumentException when {@code maxQueuedMessages} is less than 1
     */
    public WebSocketGroup(int maxQueuedMessages) {
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be at least 1: " + maxQueuedMessages);
        }
        this.maxQueuedMessages = maxQueuedMessages;
    }

    /** Returns how many messages may wait for one member before it is dropped as too slow. */
    public int getMaxQueuedMessages() {
        return maxQueuedMessages;
    }

    /**
     * Adds {@code connection}; it leaves the group by itself when it closes. Adding a member again
     * changes nothing; a connection that is closed already is not added.
     *
     * @return closing it removes the connection, as {@link #remove} does (once: should the connection
     *     leave and be added again, the new membership stays)
     */
    public Subscription add(WebSocketConnection connection) {
        Objects.requireNonNull(connection, "connection");
        Member current = members.get(connection);
        if (current != null) {
            return () -> leave(connection, current);
        }
        OutgoingQueue queue = new OutgoingQueue(connection, maxQueuedMessages);
        // Listen before looking at the state: a close either fires the listener or shows as CLOSED.
        Subscription onClosed = connection.onClosed(() -> remove(connection));
        Member member = new Member(queue, onClosed);
        Member winner = members.putIfAbsent(connection, member);
        if (winner != null) {
            onClosed.close(); // another thread added it at the same moment
            return () -> leave(connection, winner);
        }
        if (connection.getState() == WebSocketState.CLOSED) {
            leave(connection, member);
        }
        return () -> leave(connection, member);
    }

    /**
     * Removes {@code connection}: nothing more is queued for it and what waits is dropped; a message
     * being written finishes. The connection stays open.
     *
     * @return true when it was a member
     */
    public boolean remove(WebSocketConnection connection) {
        Member member = members.get(connection);
        return member != null && leave(connection, member);
    }

    /** Removes {@code member} unless it left already; a later membership of the same connection stays. */
    private boolean leave(WebSocketConnection connection, Member member) {
        if (!members.remove(connection, member)) {
            return false;
        }
        member.queue().discard();
        member.onClosed().close();
        return true;
    }

    /** Returns true when {@code connection} is a member. */
    public boolean contains(WebSocketConnection connection) {
        return members.containsKey(connection);
    }

    /** Returns the number of members, closing ones included until they closed. */
    public int size() {
        return members.size();
    }

    /** Returns a snapshot of the members, in no particular order. */
    public List<WebSocketConnection> getConnections() {
        return List.copyOf(members.keySet());
    }

    /**
     * Queues a text message for every open member; see the class comment for what happens next.
     *
     * @return the number of members it was queued for
     */
    public int sendText(String text) {
        return broadcast(DataType.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues a binary message for every open member; the array is copied first, so the caller may reuse it.
     *
     * @return the number of members it was queued for
     */
    public int sendBinary(byte[] data) {
        return broadcast(DataType.BINARY, data.clone());
    }

    /**
     * Queues a message of the given type for every open member; text must be UTF-8. The array is copied.
     *
     * @return the number of members it was queued for
     */
    public int sendMessage(DataType type, byte[] data) {
        Objects.requireNonNull(type, "type");
        return broadcast(type, data.clone());
    }

    private int broadcast(DataType type, byte[] payload) {
        OutgoingQueue.Message message = new OutgoingQueue.Message(type, payload);
        int queued = 0;
        broadcastLock.lock();
        try {
            for (Map.Entry<WebSocketConnection, Member> entry : members.entrySet()) {
                WebSocketConnection connection = entry.getKey();
                if (connection.getState() != WebSocketState.OPEN) {
                    continue;
                }
                if (entry.getValue().queue().offer(message)) {
                    queued++;
                } else {
                    dropSlow(connection, entry.getValue());
                }
            }
        } finally {
            broadcastLock.unlock();
        }
        return queued;
    }

    private void dropSlow(WebSocketConnection connection, Member member) {
        if (!leave(connection, member)) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "dropping a WebSocket connection from its group: {0} messages wait for it",
                maxQueuedMessages);
        // close() waits for the connection's send lock, which its stalled write holds: not on this thread
        Thread.ofVirtual().name("ladle-websocket-group-close").start(
                () -> connection.close(CloseCode.POLICY_VIOLATION, "too slow"));
    }
}
