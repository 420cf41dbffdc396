package dev.ladle.server;

import dev.ladle.server.internal.ConnectionRegistry;
import dev.ladle.server.internal.ResourceCounters;

/**
 * A read-only, live view of what a {@link Server} did: connections, responses by status class, body
 * bytes, WebSockets, TLS handshake failures and what its resource caps ({@link Limits}) refused. Each
 * getter reads the current value, so two calls may differ and a set of calls is not a snapshot. Counts
 * start at zero when the server is created and only grow; {@link #getConnectionsOpen()},
 * {@link #getWebSocketsOpen()} and {@link #getRequestBodyBytesHeld()} are levels. Both HTTP/1.1 and
 * HTTP/2 count. Thread-safe; the server bumps the counts without locks, and reading costs a few atomic
 * reads and never blocks it.
 */
public final class ServerStatistics {
    private final ResourceCounters counters;
    private final ConnectionRegistry connections;

    ServerStatistics(ResourceCounters counters, ConnectionRegistry connections) {
        this.counters = counters;
        this.connections = connections;
    }

    /**
     * Connections open now: the same figure as {@link Server#getConnectionCount()} (connections in a TLS
     * handshake, serving requests, idle, or carrying WebSockets; stolen ones no longer count).
     */
    public long getConnectionsOpen() {
        return connections.size();
    }

    /**
     * Connections accepted since the server was created, TLS handshake done or not, including those
     * given to {@link Server#acceptStream}; connections the caps refused are not counted here.
     */
    public long getConnectionsAccepted() {
        return counters.connectionsAccepted.sum();
    }

    /**
     * Responses written completely with a status of the class {@code statusClass}: 2 counts 200 to 299.
     * A response counts once its last byte was handed to the connection, whoever made it (a handler, a
     * 404, an error answer such as 400 or 413); an exchange cut short counts in
     * {@link #getRequestsAborted()} instead, and so does one the response timeout answered (its 503 counts
     * in {@link #getResponseTimeouts()}). An accepted WebSocket handshake counts as 1xx over HTTP/1.1
     * (101) and as 2xx over HTTP/2 (200); {@code 100 Continue} does not count. Connections the caps
     * refuse are not requests and do not count here.
     *
     * @param statusClass 1 for 1xx, 2 for 2xx, 3 for 3xx, 4 for 4xx, 5 for 5xx
     * @throws IllegalArgumentException when {@code statusClass} is not 1 to 5
     */
    public long getResponses(int statusClass) {
        return counters.responses(statusClass);
    }

    /** The sum of {@link #getResponses(int)} over the five classes. */
    public long getResponsesTotal() {
        long total = 0;
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            total += counters.responses(statusClass);
        }
        return total;
    }

    /** Exchanges cut short by an I/O error or the client leaving before their response was written. */
    public long getRequestsAborted() {
        return counters.requestsAborted.sum();
    }

    /**
     * Request body bytes read from clients: the body content after transfer decoding (chunk sizes and
     * HTTP/2 frame headers are not counted), whether kept, streamed to a handler or read away unused.
     * Request heads are not counted.
     */
    public long getRequestBodyBytesRead() {
        return counters.requestBodyBytesRead.sum();
    }

    /**
     * Response body bytes written to clients: the body as sent, after content coding (a compressed body
     * counts its compressed size), without transfer framing, including file bodies sent by
     * {@code sendfile} and the short text bodies of the server's own error answers. Response heads and
     * WebSocket frames are not counted.
     */
    public long getResponseBodyBytesWritten() {
        return counters.responseBodyBytesWritten.sum();
    }

    /** WebSocket connections open now (HTTP/1.1 upgrades and HTTP/2 extended CONNECT alike). */
    public long getWebSocketsOpen() {
        return counters.webSocketsOpen.sum();
    }

    /** TLS handshakes that failed or timed out (a plain-HTTP client on an https port counts here). */
    public long getTlsHandshakeFailures() {
        return counters.tlsHandshakeFailures.sum();
    }

    /** Connections refused because {@link Limits#getMaxConnections()} connections were open. */
    public long getConnectionsRefusedByServerLimit() {
        return counters.refusedByServerLimit.sum();
    }

    /** Connections refused because their address had {@link Limits#getMaxConnectionsPerAddress()} open. */
    public long getConnectionsRefusedByAddressLimit() {
        return counters.refusedByAddressLimit.sum();
    }

    /** Requests answered 503 because their body did not fit in {@link Limits#getRequestBodyMemoryBudget()}. */
    public long getRequestsRefusedByBodyBudget() {
        return counters.refusedByBodyBudget.sum();
    }

    /** Request body bytes the server holds in memory right now, as counted against the budget. */
    public long getRequestBodyBytesHeld() {
        return counters.bodyBudget.held();
    }

    /** Requests answered 503 because no response head was written within {@link Limits#getResponseTimeout()}. */
    public long getResponseTimeouts() {
        return counters.responseTimeouts.sum();
    }

    /**
     * Failed {@code accept} calls on the server's listeners, such as those made while the process is out
     * of file descriptors ({@code EMFILE}); each listener backs off after a failure instead of retrying
     * at once, so this grows slowly while such an episode lasts.
     */
    public long getAcceptFailures() {
        return counters.acceptFailures.sum();
    }

    @Override
    public String toString() {
        return "ServerStatistics[connectionsOpen=" + getConnectionsOpen()
                + ", connectionsAccepted=" + getConnectionsAccepted()
                + ", responses=" + getResponses(1) + "/" + getResponses(2) + "/" + getResponses(3) + "/"
                + getResponses(4) + "/" + getResponses(5)
                + ", aborted=" + getRequestsAborted()
                + ", requestBodyBytesRead=" + getRequestBodyBytesRead()
                + ", responseBodyBytesWritten=" + getResponseBodyBytesWritten()
                + ", webSocketsOpen=" + getWebSocketsOpen()
                + ", tlsHandshakeFailures=" + getTlsHandshakeFailures()
                + ", refusedByServerLimit=" + getConnectionsRefusedByServerLimit()
                + ", refusedByAddressLimit=" + getConnectionsRefusedByAddressLimit()
                + ", refusedByBodyBudget=" + getRequestsRefusedByBodyBudget()
                + ", bodyBytesHeld=" + getRequestBodyBytesHeld()
                + ", responseTimeouts=" + getResponseTimeouts()
                + ", acceptFailures=" + getAcceptFailures() + "]";
    }
}
