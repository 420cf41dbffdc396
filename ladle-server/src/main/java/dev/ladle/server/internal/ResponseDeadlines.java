package dev.ladle.server.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response timeout ({@code Limits.getResponseTimeout()}) across one server: the exchanges whose
 * handler was called while it was on, and what the watchdog does with those whose handler has not
 * answered in time. Costs nothing while the timeout is off: no timer is made, nothing is registered.
 */
final class ResponseDeadlines {
    private static final System.Logger LOG = System.getLogger(ResponseDeadlines.class.getName());
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("ladle-response-timeout");

    private final ServerState state;
    /** Timers of exchanges in progress that reached a handler; each removed when it fires, its head is claimed, or its exchange ends. */
    private final Set<ResponseTimer> timers = ConcurrentHashMap.newKeySet();

    ResponseDeadlines(ServerState state) {
        this.state = state;
    }

    /**
     * A handler of {@code ex} is about to run on this thread: the clock starts. Returns the exchange's
     * timer, or null when the timeout is off (and was off at the exchange's first handler).
     */
    ResponseTimer handlerStarts(Exchange ex) {
        ResponseTimer timer = ex.responseTimer;
        if (timer == null) {
            if (state.limits().getResponseTimeout().isZero()) {
                return null;
            }
            timer = new ResponseTimer(ex);
            ex.responseTimer = timer;
            timers.add(timer);
        }
        timer.startWaiting();
        timer.enterHandler();
        return timer;
    }

    /** The handler returned: the clock stops unless the message stays paused (then the wait counts). */
    static void handlerReturned(Exchange ex, ResponseTimer timer) {
        if (timer != null) {
            timer.leaveHandler();
            if (!ex.paused) {
                timer.stopWaiting();
            }
        }
    }

    /** A paused message was unpaused (or its wait ended): the clock stops. */
    static void unpaused(Exchange ex) {
        ResponseTimer timer = ex.responseTimer;
        if (timer != null) {
            timer.stopWaiting();
        }
    }

    /** The exchange is over: its timer is forgotten. */
    void exchangeEnded(Exchange ex) {
        ResponseTimer timer = ex.responseTimer;
        if (timer != null) {
            timers.remove(timer);
        }
    }

    /** For the watchdog: answers every exchange waiting on its handler longer than {@code timeoutNanos} (0: off). */
    void expire(long nowNanos, long timeoutNanos) {
        if (timeoutNanos == 0 || timers.isEmpty()) {
            return;
        }
        for (ResponseTimer timer : timers) {
            if (timer.answered()) {
                // its response is on its way (or it became a WebSocket): nothing left to time
                timers.remove(timer);
            } else if (timer.overdue(nowNanos, timeoutNanos) && timer.claimForTimeout()) {
                timers.remove(timer);
                fire(timer, Duration.ofNanos(timeoutNanos));
            }
        }
    }

    /** Sends the 503 from a thread of its own (the write may block; the watchdog must not), then interrupts the handler. */
    private void fire(ResponseTimer timer, Duration timeout) {
        state.counters.responseTimeouts.increment();
        Exchange ex = timer.exchange;
        LOG.log(System.Logger.Level.WARNING, "no response to {0} {1} within {2} ms: answered 503 and interrupted the handler",
                ex.method, ex.target, timeout.toMillis());
        THREADS.start(() -> {
            try {
                ex.io.answerTimeout(ex);
            } finally {
                timer.interruptHandler();
            }
        });
    }
}
