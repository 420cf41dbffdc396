package dev.ladle.server.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The response timeout of one exchange, made when a handler is first called while the timeout is on.
 * It decides, once, who writes the response head: the pipeline (the handler answered) or the timeout
 * (it did not, in time); the loser writes nothing. It also knows the handler's thread, so that the
 * timeout can interrupt it without the interrupt leaking into whatever that thread does next.
 */
final class ResponseTimer {
    private static final int OPEN = 0;
    private static final int PIPELINE = 1;
    private static final int TIMED_OUT = 2;

    private static final int NO_HANDLER = 0;
    private static final int RUNNING = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;

    /** The exchange timed. */
    final Exchange exchange;
    /** Who owns the response head: {@link #OPEN}, {@link #PIPELINE} or {@link #TIMED_OUT}. */
    private final AtomicInteger head = new AtomicInteger(OPEN);
    /** Whether a handler runs, and whether the timeout is interrupting it. */
    private final AtomicInteger handler = new AtomicInteger(NO_HANDLER);
    private volatile Thread handlerThread;
    /** {@link System#nanoTime()} (made odd, so never 0) since the application owes the response; 0 while it does not. */
    private volatile long waitingSince;

    ResponseTimer(Exchange exchange) {
        this.exchange = exchange;
    }

    /** The clock starts (a handler is called). */
    void startWaiting() {
        if (head.get() == OPEN) {
            waitingSince = System.nanoTime() | 1;
        }
    }

    /** The handler made progress (read request body bytes): the clock starts over. */
    void progress() {
        if (waitingSince != 0) {
            waitingSince = System.nanoTime() | 1;
        }
    }

    /** The clock stops (the handler returned and the message is not paused, or it was unpaused). */
    void stopWaiting() {
        waitingSince = 0;
    }

    /** Returns true when the clock has run longer than {@code timeoutNanos}. */
    boolean overdue(long nowNanos, long timeoutNanos) {
        long since = waitingSince;
        return since != 0 && nowNanos - since > timeoutNanos;
    }

    /** The pipeline is about to write the head; false when the timeout answered already. */
    boolean claimForPipeline() {
        if (head.compareAndSet(OPEN, PIPELINE)) {
            waitingSince = 0;
            return true;
        }
        return head.get() == PIPELINE;
    }

    /** The timeout is about to answer; false when the pipeline's head is on its way. */
    boolean claimForTimeout() {
        if (head.compareAndSet(OPEN, TIMED_OUT)) {
            waitingSince = 0;
            return true;
        }
        return false;
    }

    /** Returns true once the pipeline claimed the head: the timeout can no longer fire. */
    boolean answered() {
        return head.get() == PIPELINE;
    }

    /** Returns true once the timeout answered the exchange. */
    boolean timedOut() {
        return head.get() == TIMED_OUT;
    }

    /** A handler starts on the calling thread. */
    void enterHandler() {
        handlerThread = Thread.currentThread();
        handler.set(RUNNING);
    }

    /**
     * The handler returned. An interrupt the timeout sent it is cleared here, after it surely landed:
     * the thread goes on with the pipeline, or (HTTP/2) with another stream.
     */
    void leaveHandler() {
        if (!handler.compareAndSet(RUNNING, NO_HANDLER)) {
            while (handler.get() == INTERRUPTING) {
                // the timeout is between its claim and interrupt(): a few instructions
                Thread.onSpinWait();
            }
            Thread.interrupted();
            handler.set(NO_HANDLER);
        }
        handlerThread = null;
    }

    /** Interrupts the handler's thread if a handler runs now. */
    void interruptHandler() {
        if (handler.compareAndSet(RUNNING, INTERRUPTING)) {
            try {
                handlerThread.interrupt();
            } finally {
                handler.set(INTERRUPTED);
            }
        }
    }
}
