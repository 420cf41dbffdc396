package dev.ladle.server.internal.http2;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of one connection and where each stands (RFC 9113 §5.1): the active streams by id, how
 * the recently closed ones ended, how many count against MAX_CONCURRENT_STREAMS, the newest stream id,
 * and whether the connection still takes streams (our GOAWAY, the end). Also the draining of answered
 * streams whose request body is still arriving.
 *
 * <p>Guarded by the connection's state lock. Methods marked "Lock held" expect the caller to hold it,
 * so that a frame handler reads and changes several parts of the state in one critical section.
 */
final class StreamRegistry {
    /** {@link #state} of a stream both sides may still send on. */
    static final int OPEN = 100;
    /** {@link #state} of a stream whose request ended (the peer's END_STREAM) but not its response. */
    static final int HALF_CLOSED_REMOTE = 101;
    /** The most request body bytes read away after the answer, before the stream is reset instead. */
    static final long DRAIN_LIMIT = 64 * 1024;
    /** How long the rest of an answered request may take to arrive before the stream is reset. */
    static final long DRAIN_NANOS = 2_000_000_000L;

    private final ReentrantLock lock;
    private final int maxConcurrentStreams;
    private final LingeringClose lingeringClose;

    // ---- guarded by lock
    private final StreamMap streams = new StreamMap();
    private final ClosedStreams closedStreams = new ClosedStreams();
    private int openCount;
    private int lastStreamId;
    private boolean goingAway;
    private int goAwayLastId;
    private boolean ended;
    /** A drained connection's close was scheduled by {@link #retire}. */
    private boolean closeScheduled;
    private long lastActivityNanos = System.nanoTime();

    /**
     * @param lock the connection's state lock
     * @param maxConcurrentStreams our SETTINGS_MAX_CONCURRENT_STREAMS
     * @param lingeringClose closes the connection once it went away and its last stream is done
     */
    StreamRegistry(ReentrantLock lock, int maxConcurrentStreams, LingeringClose lingeringClose) {
        this.lock = lock;
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.lingeringClose = lingeringClose;
    }

    // ---------------------------------------------------------------- the active streams

    /** The active stream with this id, or {@code null}. Lock held. */
    Http2Stream get(int sid) {
        return streams.get(sid);
    }

    /** How many streams are active (handler running, or draining). Lock held. */
    int size() {
        return streams.size();
    }

    /** True when no stream is active. Lock held. */
    boolean isEmpty() {
        return streams.isEmpty();
    }

    /** A snapshot of the active streams. Lock held. */
    List<Http2Stream> snapshot() {
        return streams.snapshot();
    }

    /**
     * True while another stream fits: fewer than MAX_CONCURRENT_STREAMS open, and (counting streams
     * whose handler still runs after they closed) fewer than twice that active. Lock held.
     */
    boolean hasRoom() {
        return openCount < maxConcurrentStreams && streams.size() < 2 * maxConcurrentStreams;
    }

    /** Adds a new open stream, counted against MAX_CONCURRENT_STREAMS. Lock held. */
    void add(Http2Stream s) {
        streams.put(s);
        openCount++;
    }

    // ---------------------------------------------------------------- stream ids and closed streams

    /** The highest stream id the peer opened so far. Lock held. */
    int lastStreamId() {
        return lastStreamId;
    }

    /**
     * Records {@code sid} as the newest stream; true when it came after our GOAWAY's last stream id, so
     * is never processed (and is remembered as {@link ClosedStreams#IGNORED}). Lock held.
     */
    boolean openedAfterGoAway(int sid) {
        lastStreamId = sid;
        boolean ignore = goingAway && sid > goAwayLastId;
        if (ignore) {
            closedStreams.add(sid, ClosedStreams.IGNORED);
        }
        return ignore;
    }

    /** How stream {@code sid}, no longer active, closed: a {@link ClosedStreams} reason. Lock held. */
    int closedReason(int sid) {
        return closedStreams.reason(sid);
    }

    /** Remembers how a stream that never became (or no longer is) active closed. Lock held. */
    void addClosed(int sid, int reason) {
        closedStreams.add(sid, reason);
    }

    // ---------------------------------------------------------------- the state table

    /** Where a stream in the map stands, as a {@link ClosedStreams} reason or OPEN/HALF_CLOSED_REMOTE. Lock held. */
    static int state(Http2Stream s) {
        if (s.resetCode != null) {
            return s.resetByPeer ? ClosedStreams.RESET_BY_PEER : ClosedStreams.RESET_BY_US;
        }
        if (s.remoteClosed) {
            return s.localEnded ? ClosedStreams.ENDED : HALF_CLOSED_REMOTE;
        }
        return OPEN;
    }

    /** The peer's END_STREAM arrived. Lock held. */
    void remoteEnded(Http2Stream s) {
        s.remoteClosed = true;
        s.readable.signalAll();
        closeIfDone(s);
        if (s.draining) {
            retire(s, ClosedStreams.ENDED);
        }
    }

    /** Our END_STREAM is about to be written. Takes the lock. */
    void localEnded(Http2Stream s) {
        lock.lock();
        try {
            s.localEnded = true;
            closeIfDone(s);
        } finally {
            lock.unlock();
        }
    }

    /** Stops counting a stream against MAX_CONCURRENT_STREAMS once it is closed. Lock held. */
    void closeIfDone(Http2Stream s) {
        if (s.counted && (s.resetCode != null || (s.remoteClosed && s.localEnded))) {
            s.counted = false;
            openCount--;
        }
    }

    /**
     * Forgets a stream whose handler is done and that is closed now. Lock held. When the connection
     * was going away and this was its last stream, the connection closes shortly.
     */
    void retire(Http2Stream s, int reason) {
        s.draining = false;
        if (streams.get(s.id()) == s) {
            streams.remove(s.id());
            closedStreams.add(s.id(), reason);
        }
        lastActivityNanos = System.nanoTime();
        if (goingAway && streams.isEmpty() && !ended && !closeScheduled) {
            closeScheduled = true;
            lingeringClose.flushThenCloseSoon();
        }
    }

    /**
     * Forgets a stream whose handler returned and that needs no draining. Lock held.
     *
     * @return true when the connection was going away and this was its last stream
     */
    boolean removeFinished(Http2Stream s) {
        streams.remove(s.id());
        closedStreams.add(s.id(), s.resetByUs ? ClosedStreams.RESET_BY_US
                : s.resetByPeer ? ClosedStreams.RESET_BY_PEER : ClosedStreams.ENDED);
        lastActivityNanos = System.nanoTime();
        return goingAway && streams.isEmpty() && !ended;
    }

    // ---------------------------------------------------------------- draining answered streams

    /** Starts reading away the rest of an answered request, {@code drained} bytes already dropped. Lock held. */
    static void startDraining(Http2Stream s, int drained) {
        s.draining = true;
        s.drained = drained;
        s.drainDeadlineNanos = System.nanoTime() + DRAIN_NANOS;
    }

    /** The draining streams past their deadline, or {@code null} when none. Takes the lock. */
    List<Http2Stream> expiredDrains(long nowNanos) {
        List<Http2Stream> expired = null;
        lock.lock();
        try {
            for (Http2Stream s : streams.snapshot()) {
                if (s.draining && nowNanos - s.drainDeadlineNanos > 0) {
                    if (expired == null) {
                        expired = new ArrayList<>();
                    }
                    expired.add(s);
                }
            }
        } finally {
            lock.unlock();
        }
        return expired;
    }

    // ---------------------------------------------------------------- the connection's phase

    /** True once we sent GOAWAY for a graceful shutdown. Lock held. */
    boolean goingAway() {
        return goingAway;
    }

    /** True once the connection ended (the reader returned). Lock held. */
    boolean ended() {
        return ended;
    }

    /** Marks the graceful shutdown: streams above the current last id are ignored from now on. Lock held. */
    void startGoingAway() {
        goingAway = true;
        goAwayLastId = lastStreamId;
    }

    /** Marks the connection ended. Lock held. */
    void markEnded() {
        ended = true;
    }

    /**
     * True when the connection still runs, is not going away, has no active stream and saw none for
     * {@code idleTimeoutNanos}. Lock held.
     */
    boolean isIdle(long nowNanos, long idleTimeoutNanos) {
        return !ended && !goingAway && streams.isEmpty() && nowNanos - lastActivityNanos >= idleTimeoutNanos;
    }
}
