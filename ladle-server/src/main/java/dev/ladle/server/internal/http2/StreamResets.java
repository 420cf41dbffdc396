package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Resetting streams, by either side: the peer's RST_STREAM, our RST_STREAM for the peer's stream errors,
 * and our RST_STREAM asked for by a handler. Whoever sets a stream's reset code under the state lock
 * writes its only RST_STREAM, afterwards under the writer lock. Also the reset budget against rapid
 * reset floods.
 */
final class StreamResets {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());

    private final ReentrantLock lock;
    private final FrameWriter writer;
    private final StreamRegistry registry;
    private final FlowControl flow;
    /** Streams reset before they completed, by the peer (rapid reset) or by us for its faults. Reader thread. */
    private final TokenBucket resetBudget;

    /**
     * @param lock the connection's state lock
     * @param writer where RST_STREAM goes
     * @param registry the streams
     * @param flow takes back the receive credit of discarded request data
     * @param maxConcurrentStreams our SETTINGS_MAX_CONCURRENT_STREAMS, which sizes the reset budget
     */
    StreamResets(ReentrantLock lock, FrameWriter writer, StreamRegistry registry, FlowControl flow,
            int maxConcurrentStreams) {
        this.lock = lock;
        this.writer = writer;
        this.registry = registry;
        this.flow = flow;
        int resets = Math.max(100, 2 * maxConcurrentStreams);
        this.resetBudget = new TokenBucket(resets, resets / 2);
    }

    /**
     * Spends one token of the reset budget (reader thread only).
     *
     * @throws ConnectionException ENHANCE_YOUR_CALM, saying {@code tooMany}, when the budget is spent
     */
    void spendResetBudget(String tooMany) throws ConnectionException {
        if (!resetBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, tooMany);
        }
    }

    /** The peer's RST_STREAM with error {@code code} on stream {@code sid} (not 0). Reader thread. */
    void peerReset(int sid, int code) throws IOException, ConnectionException {
        Http2Stream s;
        List<Runnable> listeners;
        int connectionIncrement;
        boolean answered;
        lock.lock();
        try {
            if (sid > registry.lastStreamId()) {
                throw new ConnectionException(PROTOCOL_ERROR, "RST_STREAM on idle stream " + sid);
            }
            s = registry.get(sid);
            if (s == null || StreamRegistry.state(s) != StreamRegistry.OPEN
                    && StreamRegistry.state(s) != StreamRegistry.HALF_CLOSED_REMOTE) {
                return;
            }
            ErrorCode known = ErrorCode.of(code);
            s.resetCode = known == null ? ErrorCode.INTERNAL_ERROR : known;
            s.resetByPeer = true;
            connectionIncrement = closeForReset(s);
            listeners = s.takeResetListeners();
            answered = s.handlerDone;
            if (answered) {
                // the client stops sending a body we no longer read: an ordinary end, not a rapid reset
                registry.retire(s, ClosedStreams.RESET_BY_PEER);
            }
        } finally {
            lock.unlock();
        }
        writer.lock();
        try {
            // the peer considers the stream closed: no frame of ours may follow, not even RST_STREAM
            s.outputClosed = true;
            s.rstWritten = true;
            if (connectionIncrement > 0) {
                writer.windowUpdate(0, connectionIncrement);
                writer.requestFlush();
            }
        } finally {
            writer.unlock();
        }
        runListeners(listeners);
        if (!answered) {
            spendResetBudget("too many stream resets");
        }
    }

    /** Answers the peer's stream error with RST_STREAM. Reader thread. */
    void streamError(StreamException e) throws IOException, ConnectionException {
        int sid = e.streamId();
        LOG.log(DEBUG, "HTTP/2 stream {0} reset with {1}: {2}", sid, e.code(), e.getMessage());
        Http2Stream s;
        List<Runnable> listeners = null;
        int connectionIncrement = 0;
        boolean write = true;
        lock.lock();
        try {
            s = registry.get(sid);
            if (s != null) {
                if (s.resetCode == null) {
                    s.resetCode = e.code();
                    s.resetByUs = true;
                    connectionIncrement = closeForReset(s);
                    // the handler learns its request was malformed after all
                    listeners = s.takeResetListeners();
                    if (s.handlerDone) {
                        registry.retire(s, ClosedStreams.RESET_BY_US);
                    }
                } else {
                    // whoever set the reset code writes the RST_STREAM; only a faulty frame after the
                    // peer's own reset gets an answer of its own (STREAM_CLOSED)
                    write = s.resetByPeer;
                }
            } else if (sid <= registry.lastStreamId()) {
                registry.addClosed(sid, ClosedStreams.RESET_BY_US);
            }
        } finally {
            lock.unlock();
        }
        writer.lock();
        try {
            if (write) {
                writer.rstStream(sid, e.code());
                if (s != null) {
                    s.rstWritten = true;
                    s.outputClosed = true;
                }
            }
            if (connectionIncrement > 0) {
                writer.windowUpdate(0, connectionIncrement);
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
        runListeners(listeners);
        // a client that makes us reset streams (MadeYouReset) spends the same budget as one that resets
        spendResetBudget("too many stream errors");
    }

    /** RST_STREAM from our side, asked for by the handler (or a write timeout). Any thread. */
    void resetByHandler(Http2Stream s, ErrorCode code) {
        int connectionIncrement;
        lock.lock();
        try {
            if (s.resetCode != null || registry.ended() || (s.remoteClosed && s.localEnded)) {
                return;
            }
            s.resetCode = code;
            s.resetByUs = true;
            connectionIncrement = closeForReset(s);
        } finally {
            lock.unlock();
        }
        try {
            writer.lock();
            try {
                if (!s.rstWritten) {
                    writer.rstStream(s.id(), code);
                    s.rstWritten = true;
                    s.outputClosed = true;
                }
                if (connectionIncrement > 0) {
                    writer.windowUpdate(0, connectionIncrement);
                }
                writer.requestFlush();
            } finally {
                writer.unlock();
            }
        } catch (IOException e) {
            // the connection failed; end() tells everyone
        }
    }

    /**
     * The bookkeeping of a stream whose reset code was just set: drops its buffered body, stops counting
     * it as open and wakes its reader and writer. Lock held.
     *
     * @return the connection WINDOW_UPDATE increment now due for the dropped body
     */
    private int closeForReset(Http2Stream s) {
        int connectionIncrement = flow.consumeOnConnection(s.discard());
        registry.closeIfDone(s);
        s.readable.signalAll();
        flow.signalSendWindowChanged();
        return connectionIncrement;
    }

    /** Runs reset listeners (after the state lock was released); one that fails does not stop the rest. */
    static void runListeners(List<Runnable> listeners) {
        if (listeners == null) {
            return;
        }
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(WARNING, "HTTP/2 reset listener failed", e);
            }
        }
    }
}
