package dev.ladle.server.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the resource caps of one server did, for {@code ServerStatistics}: counters the engine bumps
 * where a cap acts, and the body memory budget's level. One per server.
 */
public final class ResourceCounters {
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
    /** The request body bytes held in memory, across all connections. */
    public final BodyMemoryBudget bodyBudget = new BodyMemoryBudget();
}
