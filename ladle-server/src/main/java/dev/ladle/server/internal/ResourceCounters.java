package dev.ladle.server.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one server did, for {@code ServerStatistics}: counters the engine bumps where it learns a fact
 * (a cap acts, a connection is accepted, a response finishes), and a few levels. One per server.
 * {@link LongAdder}s, because many connection threads bump them at once and readers are rare: an
 * increment touches a cell of its own thread's and never waits.
 */
public final class ResourceCounters {
    /** The classes of status codes counted: 1xx to 5xx. */
    private static final int STATUS_CLASSES = 5;

    /** Connections refused by the server-wide connection cap. */
    public final LongAdder refusedByServerLimit = new LongAdder();
    /** Connections refused by the per-address connection cap. */
    public final LongAdder refusedByAddressLimit = new LongAdder();
    /** Requests answered 503 for want of body memory. */
    public final LongAdder refusedByBodyBudget = new LongAdder();
    /** Requests answered 503 by the response timeout. */
    public final LongAdder responseTimeouts = new LongAdder();
    /** Failed accept calls. */
    public final LongAdder acceptFailures = new LongAdder();
    /**
     * Bytes of file bodies sent straight from the file to the socket ({@code sendfile}), never through
     * memory: what tests check to tell that path from the copying one.
     */
    public final LongAdder fileBytesTransferred = new LongAdder();
    /** Bytes of file bodies copied through a direct buffer to a client on this machine ({@link LoopbackFileCopy}). */
    public final LongAdder fileBytesCopied = new LongAdder();
    /** Connections accepted: handed to a connection thread, TLS handshake or not. */
    public final LongAdder connectionsAccepted = new LongAdder();
    /** TLS handshakes that failed or timed out. */
    public final LongAdder tlsHandshakeFailures = new LongAdder();
    /** WebSocket connections open now: up when one opens, down when it closed. */
    public final LongAdder webSocketsOpen = new LongAdder();
    /** Request body bytes read from clients, whether kept, streamed to a handler or read away. */
    public final LongAdder requestBodyBytesRead = new LongAdder();
    /** Response body bytes written to clients, after content coding, without transfer framing. */
    public final LongAdder responseBodyBytesWritten = new LongAdder();
    /** Exchanges cut short by an I/O error or the client leaving. */
    public final LongAdder requestsAborted = new LongAdder();
    /** Responses written completely, by status class: index 0 for 1xx to 4 for 5xx. */
    private final LongAdder[] responsesByClass = new LongAdder[STATUS_CLASSES];

    {
        for (int i = 0; i < STATUS_CLASSES; i++) {
            responsesByClass[i] = new LongAdder();
        }
    }

    /** Counts a response written completely with {@code status}; a status outside 100..599 is not counted. */
    public void responseFinished(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < STATUS_CLASSES) {
            responsesByClass[index].increment();
        }
    }

    /**
     * Returns the responses of a status class written so far.
     *
     * @param statusClass 1 for 1xx ... 5 for 5xx
     * @throws IllegalArgumentException when {@code statusClass} is not 1 to 5
     */
    public long responses(int statusClass) {
        if (statusClass < 1 || statusClass > STATUS_CLASSES) {
            throw new IllegalArgumentException("status class must be 1 to 5: " + statusClass);
        }
        return responsesByClass[statusClass - 1].sum();
    }

    /** The request body bytes held in memory, across all connections. */
    public final BodyMemoryBudget bodyBudget = new BodyMemoryBudget();
}
