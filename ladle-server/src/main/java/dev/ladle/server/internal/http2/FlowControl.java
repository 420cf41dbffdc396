package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection's flow control (RFC 9113 §6.9): the send credit the peer granted (connection window,
 * each stream's window, the initial window of new streams) with the wait for it, and the receive
 * credit we granted with the WINDOW_UPDATEs that give it back.
 *
 * <p>Windows are guarded by the connection's state lock (methods marked "Lock held" expect the caller
 * to hold it); WINDOW_UPDATEs are written under the writer lock, never while holding the state lock.
 */
final class FlowControl {
    private final ReentrantLock lock;
    private final Condition sendWindowChanged;
    private final StreamRegistry registry;
    private final FrameWriter writer;
    private final long writeTimeoutNanos;

    // ---- guarded by lock
    private final ReceiveWindow connectionReceive;
    private final FlowWindow connectionSend = new FlowWindow(SettingsParameter.DEFAULT_WINDOW_SIZE);
    private int peerInitialWindowSize = SettingsParameter.DEFAULT_WINDOW_SIZE;

    /**
     * @param lock the connection's state lock
     * @param registry the streams whose send windows WINDOW_UPDATE and SETTINGS change
     * @param writer where WINDOW_UPDATEs go
     * @param writeTimeoutNanos how long a stream waits for send credit
     * @param connectionWindowSize the connection receive window we grant
     */
    FlowControl(ReentrantLock lock, StreamRegistry registry, FrameWriter writer, long writeTimeoutNanos,
            int connectionWindowSize) {
        this.lock = lock;
        this.sendWindowChanged = lock.newCondition();
        this.registry = registry;
        this.writer = writer;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.connectionReceive = new ReceiveWindow(connectionWindowSize);
    }

    // ---------------------------------------------------------------- receive credit

    /**
     * Accounts for a DATA frame's {@code n} bytes (padding included) against the connection window.
     * Lock held.
     *
     * @return false when the peer exceeded the credit we granted
     */
    boolean receiveOnConnection(int n) {
        return connectionReceive.receive(n);
    }

    /**
     * Records {@code n} received bytes as consumed (read, discarded or padding). Lock held.
     *
     * @return the connection WINDOW_UPDATE increment to send now, or 0 to keep batching
     */
    int consumeOnConnection(int n) {
        return connectionReceive.consume(n);
    }

    /** Sends WINDOW_UPDATEs for consumed request data (either increment may be 0). Lock not held. */
    void sendWindowUpdates(Http2Stream s, int streamIncrement, int connectionIncrement) throws IOException {
        if (streamIncrement <= 0 && connectionIncrement <= 0) {
            return;
        }
        writer.lock();
        try {
            if (connectionIncrement > 0) {
                writer.windowUpdate(0, connectionIncrement);
            }
            if (streamIncrement > 0 && s != null && !s.rstWritten) {
                writer.windowUpdate(s.id(), streamIncrement);
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
    }

    // ---------------------------------------------------------------- send credit

    /** The send window a new stream starts with (the peer's SETTINGS_INITIAL_WINDOW_SIZE). Lock held. */
    int peerInitialWindowSize() {
        return peerInitialWindowSize;
    }

    /** Wakes the streams waiting for send credit, to look again (credit came, or they were reset). Lock held. */
    void signalSendWindowChanged() {
        sendWindowChanged.signalAll();
    }

    /** Applies the peer's WINDOW_UPDATE of {@code increment} on stream {@code sid} (0: the connection). */
    void applyWindowUpdate(int sid, int increment) throws ConnectionException, StreamException {
        lock.lock();
        try {
            if (sid == 0) {
                if (increment == 0) {
                    throw new ConnectionException(PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
                }
                if (!connectionSend.adjust(increment)) {
                    throw new ConnectionException(FLOW_CONTROL_ERROR, "connection window above 2^31-1");
                }
                sendWindowChanged.signalAll();
                return;
            }
            if (sid > registry.lastStreamId()) {
                throw new ConnectionException(PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + sid);
            }
            if (increment == 0) {
                throw new StreamException(sid, PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
            }
            Http2Stream s = registry.get(sid);
            if (s == null || s.resetCode != null) {
                return; // may cross our END_STREAM or RST_STREAM (§6.9)
            }
            if (!s.sendWindow.adjust(increment)) {
                throw new StreamException(sid, FLOW_CONTROL_ERROR, "stream window above 2^31-1");
            }
            sendWindowChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Applies the peer's new SETTINGS_INITIAL_WINDOW_SIZE: every stream's send window moves by the change. */
    void applyPeerInitialWindowSize(int initialWindow) throws ConnectionException {
        lock.lock();
        try {
            int delta = initialWindow - peerInitialWindowSize;
            peerInitialWindowSize = initialWindow;
            for (Http2Stream s : registry.snapshot()) {
                if (!s.sendWindow.adjust(delta)) {
                    throw new ConnectionException(FLOW_CONTROL_ERROR, "stream window above 2^31-1");
                }
            }
            sendWindowChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for send credit on the stream and the connection; returns the bytes reserved (at most
     * {@code want}, which is positive), or 0 when none came within the write timeout (the caller then
     * resets the stream). Lock not held.
     */
    int reserveSendWindow(Http2Stream s, int want) throws IOException {
        boolean flushed = false;
        long deadline = 0;
        lock.lock();
        try {
            while (true) {
                s.throwIfReset();
                int available = Math.min(s.sendWindow.available(), connectionSend.available());
                if (available > 0) {
                    int n = Math.min(want, available);
                    s.sendWindow.consume(n);
                    connectionSend.consume(n);
                    return n;
                }
                if (!flushed) {
                    // the peer grants credit for what it received: push out what is buffered before waiting
                    flushed = true;
                    lock.unlock();
                    try {
                        writer.flush();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + writeTimeoutNanos;
                }
                if (deadline - now <= 0) {
                    return 0;
                }
                try {
                    sendWindowChanged.awaitNanos(deadline - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for flow-control credit");
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
