package dev.ladle.server.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What a listener does after a failed {@code accept}: out of file descriptors ({@code EMFILE},
 * {@code ENFILE}) the pending connection stays in the backlog and the listening socket stays readable,
 * so retrying at once would spin. Instead the listener waits, 10 ms after the first failure and twice
 * as long after each further one up to {@link #MAX_DELAY_NANOS}, and wakes early when one of the
 * server's connections closes (which frees a descriptor). An episode is logged twice: a warning at its
 * first failure and a note when accepting works again, never once per attempt. A server at its limit
 * goes through many short episodes (each closing connection frees one descriptor, the next accept takes
 * it, the one after fails), so a new episode within {@link #QUIET_NANOS} of the last logged one is not
 * logged. One per listener, used only by its accept thread.
 */
final class AcceptBackoff {
    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private static final long FIRST_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The longest wait between attempts: how late a listener notices descriptors freed elsewhere. */
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Episodes starting sooner than this after the last logged one are not logged. */
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConnectionRegistry connections;
    private final ResourceCounters counters;
    private long delayNanos = FIRST_DELAY_NANOS;
    /** Failures in the current episode; 0 when accepting works. */
    private long failures;
    private long episodeStart;
    /** Whether the current episode was logged (then its end is too). */
    private boolean episodeLogged;
    /** When the last logged episode started; 0 before any. */
    private long lastLogged;

    AcceptBackoff(ConnectionRegistry connections, ResourceCounters counters) {
        this.connections = connections;
        this.counters = counters;
    }

    /**
     * Records a failed accept and waits before the next attempt.
     *
     * @return false when the wait was interrupted (the listener is closing)
     */
    boolean failed(IOException e, Object listener) {
        counters.acceptFailures.increment();
        if (failures++ == 0) {
            episodeStart = System.nanoTime();
            episodeLogged = lastLogged == 0 || episodeStart - lastLogged > QUIET_NANOS;
            if (episodeLogged) {
                lastLogged = episodeStart;
                LOG.log(System.Logger.Level.WARNING, "{0} cannot accept connections ({1}); retrying with back-off"
                        + " until a descriptor is free, without logging each attempt", listener, e.getMessage());
            }
        }
        long delay = delayNanos;
        delayNanos = Math.min(delayNanos * 2, MAX_DELAY_NANOS);
        try {
            if (connections.awaitConnectionEnd(delay)) {
                // a descriptor was freed: the next attempt will likely work, and the one after needs no long wait
                delayNanos = FIRST_DELAY_NANOS;
            }
            return true;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    /** Records a successful accept, ending an episode of failures. */
    void succeeded(Object listener) {
        if (failures == 0) {
            return;
        }
        if (episodeLogged) {
            LOG.log(System.Logger.Level.INFO, "{0} accepts connections again after {1} failed attempts in {2} ms"
                    + " (episodes in the next minute are not logged)",
                    listener, failures, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - episodeStart));
        }
        failures = 0;
        delayNanos = FIRST_DELAY_NANOS;
    }
}
