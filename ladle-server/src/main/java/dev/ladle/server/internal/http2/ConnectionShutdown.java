package dev.ladle.server.internal.http2;

import static java.lang.System.Logger.Level.DEBUG;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a connection ends: the graceful GOAWAY, the GOAWAY for a connection error, the idle timeout (and
 * the cut-off of answered streams whose leftover body takes too long), and the final end that tells
 * every stream. Any thread unless noted.
 */
final class ConnectionShutdown {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());

    private final ReentrantLock lock;
    private final FrameWriter writer;
    private final StreamRegistry registry;
    private final FlowControl flow;
    private final StreamResets resets;
    private final LingeringClose lingeringClose;

    /**
     * @param lock the connection's state lock
     * @param writer where GOAWAY goes
     * @param registry the streams and the connection's phase
     * @param flow wakes the streams waiting for send credit when the connection ends
     * @param resets cuts off draining streams past their deadline
     * @param lingeringClose closes the socket
     */
    ConnectionShutdown(ReentrantLock lock, FrameWriter writer, StreamRegistry registry, FlowControl flow,
            StreamResets resets, LingeringClose lingeringClose) {
        this.lock = lock;
        this.writer = writer;
        this.registry = registry;
        this.flow = flow;
        this.resets = resets;
        this.lingeringClose = lingeringClose;
    }

    /**
     * Graceful shutdown: GOAWAY with the last stream id processed and NO_ERROR; streams in flight
     * finish, later streams are ignored, and the connection closes once the streams are done.
     */
    void goAway() {
        int last;
        boolean drained;
        lock.lock();
        try {
            if (registry.goingAway() || registry.ended()) {
                return;
            }
            registry.startGoingAway();
            last = registry.lastStreamId();
            drained = registry.isEmpty();
        } finally {
            lock.unlock();
        }
        try {
            writer.writeGoAway(last, ErrorCode.NO_ERROR, "shutting down");
        } catch (IOException e) {
            lingeringClose.closeNow();
            return;
        }
        if (drained) {
            lingeringClose.closeSoon();
        }
    }

    /**
     * Cuts off the draining streams past their deadline, then, when no stream has been open for longer
     * than {@code idleTimeoutNanos}, goes away.
     *
     * @return true when the connection has had no stream for a second but is not timed out yet: its
     *     large buffers may go
     */
    boolean checkIdle(long nowNanos, long idleTimeoutNanos) {
        expireDraining(nowNanos);
        boolean idle;
        boolean quiet;
        lock.lock();
        try {
            idle = registry.isIdle(nowNanos, idleTimeoutNanos);
            quiet = registry.isIdle(nowNanos, KEEP_BUFFERS_NANOS);
        } finally {
            lock.unlock();
        }
        if (idle) {
            goAway();
        }
        return quiet && !idle;
    }

    /** How long a connection without streams keeps its large buffers. */
    private static final long KEEP_BUFFERS_NANOS = 1_000_000_000L;

    /** Cuts off (RST_STREAM NO_ERROR) the streams that have been reading away an unwanted body too long. */
    private void expireDraining(long nowNanos) {
        List<Http2Stream> expired = registry.expiredDrains(nowNanos);
        if (expired != null) {
            for (Http2Stream s : expired) {
                try {
                    resets.streamError(new StreamException(s.id(), ErrorCode.NO_ERROR, "request body not sent in time"));
                } catch (IOException | ConnectionException e) {
                    lingeringClose.closeNow();
                    return;
                }
            }
        }
    }

    /** Sends GOAWAY for a connection error; the caller closes. */
    void connectionError(ErrorCode code, String message) {
        LOG.log(DEBUG, "HTTP/2 connection error {0}: {1}", code, message);
        int last;
        lock.lock();
        try {
            last = registry.lastStreamId();
        } finally {
            lock.unlock();
        }
        try {
            writer.writeGoAway(last, code, message);
        } catch (IOException e) {
            // the connection is going anyway
        }
    }

    /** Ends the connection: tells every stream, closes the socket, runs reset listeners. Reader thread, once. */
    void end() {
        List<Runnable> listeners = new ArrayList<>();
        lock.lock();
        try {
            registry.markEnded();
            for (Http2Stream s : registry.snapshot()) {
                s.connectionEnded = true;
                s.readable.signalAll();
                if (s.counted) {
                    List<Runnable> l = s.takeResetListeners();
                    if (l != null) {
                        listeners.addAll(l);
                    }
                }
            }
            flow.signalSendWindowChanged();
        } finally {
            lock.unlock();
        }
        lingeringClose.closeNow();
        writer.dispose();
        StreamResets.runListeners(listeners);
    }
}
