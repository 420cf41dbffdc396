package dev.ladle.server;

import dev.ladle.server.internal.ResourceCounters;

/**
 * A read-only, live view of what a {@link Server}'s resource caps ({@link Limits}) did: each getter
 * reads the current value, so two calls may differ. Counts start at zero when the server is created
 * and only grow; {@link #getRequestBodyBytesHeld()} is a level. Thread-safe; reading costs a few
 * atomic reads and never blocks the server.
 */
public final class ServerStatistics {
    private final ResourceCounters counters;

    ServerStatistics(ResourceCounters counters) {
        this.counters = counters;
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
        return "ServerStatistics[refusedByServerLimit=" + getConnectionsRefusedByServerLimit()
                + ", refusedByAddressLimit=" + getConnectionsRefusedByAddressLimit()
                + ", refusedByBodyBudget=" + getRequestsRefusedByBodyBudget()
                + ", bodyBytesHeld=" + getRequestBodyBytesHeld()
                + ", responseTimeouts=" + getResponseTimeouts()
                + ", acceptFailures=" + getAcceptFailures() + "]";
    }
}
