package dev.ladle.server.internal.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises frames into one buffer in front of the socket, under one lock shared by the reader thread
 * and every stream thread. Callers either use the self-locking methods for connection-level frames or
 * bracket several frames with {@link #lock()} / {@link #unlock()} (so a response's HEADERS and DATA,
 * and HPACK's encoder state, stay in order).
 *
 * <p>Flushes are coalesced: a writer that wants its bytes on the wire marks a flush pending; the flush
 * happens when the lock is released, unless another writer is already queued for the lock, in which case
 * that writer (or the last one in the queue) flushes. A virtual thread first yields once, so that the
 * other runnable stream threads (typically the rest of a client's batch) add their frames before the
 * one socket write. So many streams answering at once share socket writes, and the last writer out
 * always flushes.
 */
final class FrameWriter {
    /** The largest DATA payload we send in one frame: bigger frames buy little and cost buffer space. */
    static final int MAX_DATA_FRAME = SettingsParameter.DEFAULT_MAX_FRAME_SIZE;

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final Runnable closer;
    private final long writeTimeoutNanos;
    /**
     * Room for several full DATA frames: the answers of a client's batch leave in few socket writes
     * (16 KiB answers: ~80k -> ~90k req/s). Made on demand and let go by an idle connection.
     */
    private static final int BUFFER_SIZE = 64 * 1024;
    /** The frames not yet written; made on the first frame and let go by an idle connection. Lock held. */
    private byte[] buf;
    /** HPACK state follows the order of blocks on the wire, so it lives under the writer lock. */
    private final HpackEncoder encoder = new HpackEncoder();
    private int count;
    private boolean flushPending;
    /**
     * The thread that asked for the pending flush and makes it once it has yielded; null when whoever
     * releases the lock next must make it. Lock held.
     */
    private Thread flushRequester;
    private IOException failure;
    private volatile int peerMaxFrameSize = SettingsParameter.DEFAULT_MAX_FRAME_SIZE;
    /** When the current socket write started, 0 when none is under way (read by the watchdog). */
    private volatile long writeStartedNanos;

    /**
     * @param closer closes the socket; the watchdog runs it when a socket write stalls past
     *     {@code writeTimeoutNanos}
     */
    FrameWriter(OutputStream out, Runnable closer, long writeTimeoutNanos) {
        this.out = out;
        this.closer = closer;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** The connection's frame reader: it flushes at once (its answers are few and it must get back to reading). */
    private volatile Thread readerThread;

    /** Names the connection's reader thread. */
    void setReaderThread(Thread thread) {
        readerThread = thread;
    }

    /** Starts the stall watchdog for this writer; {@link #dispose()} stops it. */
    void watch() {
        WriteWatchdog.register(this);
    }

    /** Stops the stall watchdog for this writer (the connection is over). */
    void dispose() {
        WriteWatchdog.unregister(this);
    }

    /** Called by the watchdog: closes the socket when a write has been blocked too long. */
    void checkStall(long nowNanos) {
        long started = writeStartedNanos;
        if (started != 0 && nowNanos - started > writeTimeoutNanos) {
            writeStartedNanos = 0;
            closer.run();
        }
    }

    /** Takes the writer lock; pair with {@link #unlock()} in a finally block. */
    void lock() {
        lock.lock();
    }

    /**
     * Releases the writer lock, flushing first when a flush is pending and no other writer is queued.
     *
     * @throws IOException when that flush fails
     */
    void unlock() throws IOException {
        Thread current = Thread.currentThread();
        // a stream thread yields before it flushes (see the class comment); the reader and nested holds do not
        boolean yieldFirst = lock.getHoldCount() == 1 && current.isVirtual() && current != readerThread;
        boolean flushAfterYield;
        try {
            flushAfterYield = flushIfMine(current, yieldFirst);
        } finally {
            lock.unlock();
        }
        if (flushAfterYield) {
            // Let the other runnable threads go first: the streams of a client's batch answer into the
            // buffer, and one socket write carries all their frames instead of one write each.
            Thread.yield();
            lock.lock();
            try {
                flushIfMine(current, false);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Makes the pending flush when it falls to {@code current}: when it asked for it (or nobody in
     * particular must) and no other writer is queued; a queued writer inherits it instead. Lock held.
     *
     * @param deferrable whether {@code current} may yield first
     * @return true when the flush is {@code current}'s but was deferred until after a yield
     */
    private boolean flushIfMine(Thread current, boolean deferrable) throws IOException {
        if (!flushPending || failure != null) {
            return false;
        }
        if (lock.hasQueuedThreads()) {
            // the next holder flushes
            flushRequester = null;
            return false;
        }
        if (flushRequester != null && flushRequester != current) {
            // another stream asked for the flush and makes it after its own yield
            return false;
        }
        if (deferrable) {
            return true;
        }
        try {
            flushPending = false;
            flushRequester = null;
            drain();
            out.flush();
        } catch (IOException e) {
            fail(e);
            throw e;
        }
        return false;
    }

    /** Asks for the buffered bytes to reach the socket when the lock is released. Lock held. */
    void requestFlush() {
        flushPending = true;
        flushRequester = Thread.currentThread();
    }

    /** Pushes the buffered bytes to the socket now, whether or not other writers are queued. */
    void flushNow() throws IOException {
        lock();
        try {
            drain();
            out.flush();
        } catch (IOException e) {
            fail(e);
            throw e;
        } finally {
            unlock();
        }
    }

    /** Flushes everything written so far (coalesced as described above). */
    void flush() throws IOException {
        lock();
        try {
            requestFlush();
        } finally {
            unlock();
        }
    }

    /** The response header encoder. Lock held. */
    HpackEncoder encoder() {
        return encoder;
    }

    /** The largest DATA payload to put in one frame (a racy read is fine: the value only grows). */
    int maxDataFrame() {
        return Math.min(peerMaxFrameSize, MAX_DATA_FRAME);
    }

    // ---- frames written with the lock held

    /** Appends a DATA frame. Lock held. */
    void data(int streamId, byte[] b, int off, int len, boolean endStream) throws IOException {
        header(len, FrameType.DATA, endStream ? FrameFlags.END_STREAM : 0, streamId);
        append(b, off, len);
    }

    /**
     * Appends a field block as HEADERS plus as many CONTINUATION frames as the peer's frame size needs.
     * Lock held.
     */
    void headers(int streamId, byte[] block, int length, boolean endStream) throws IOException {
        int max = peerMaxFrameSize;
        int first = Math.min(length, max);
        int flags = (endStream ? FrameFlags.END_STREAM : 0) | (first == length ? FrameFlags.END_HEADERS : 0);
        header(first, FrameType.HEADERS, flags, streamId);
        append(block, 0, first);
        for (int off = first; off < length; ) {
            int n = Math.min(length - off, max);
            header(n, FrameType.CONTINUATION, off + n == length ? FrameFlags.END_HEADERS : 0, streamId);
            append(block, off, n);
            off += n;
        }
    }

    /** Appends a RST_STREAM frame. Lock held. */
    void rstStream(int streamId, ErrorCode code) throws IOException {
        header(4, FrameType.RST_STREAM, 0, streamId);
        int32(code.code());
    }

    /** Appends a WINDOW_UPDATE frame. Lock held. */
    void windowUpdate(int streamId, int increment) throws IOException {
        header(4, FrameType.WINDOW_UPDATE, 0, streamId);
        int32(increment);
    }

    // ---- self-locking frames, each flushed

    /** Appends a SETTINGS frame of (id, value) pairs. Lock held. */
    void settings(int... idValuePairs) throws IOException {
        header(idValuePairs.length / 2 * 6, FrameType.SETTINGS, 0, 0);
        for (int i = 0; i < idValuePairs.length; i += 2) {
            ensure(6);
            buf[count++] = (byte) (idValuePairs[i] >>> 8);
            buf[count++] = (byte) idValuePairs[i];
            int32(idValuePairs[i + 1]);
        }
    }

    // ---- self-locking frames, each flushed

    /**
     * Applies the peer's SETTINGS that concern the writer, then acknowledges them, in one locked step so
     * no frame is written under half-applied settings.
     *
     * @param maxFrameSize the peer's SETTINGS_MAX_FRAME_SIZE, or -1 when unchanged
     * @param headerTableSize the peer's SETTINGS_HEADER_TABLE_SIZE, or -1 when unchanged
     */
    void applyPeerSettingsAndAck(int maxFrameSize, int headerTableSize) throws IOException {
        lock();
        try {
            if (maxFrameSize > 0) {
                peerMaxFrameSize = maxFrameSize;
            }
            if (headerTableSize >= 0) {
                encoder.setPeerMaxTableSize(headerTableSize);
            }
            header(0, FrameType.SETTINGS, FrameFlags.ACK, 0);
            requestFlush();
        } finally {
            unlock();
        }
    }

    /** Writes a PING acknowledgement echoing the 8 opaque bytes at {@code off}. */
    void writePingAck(byte[] b, int off) throws IOException {
        lock();
        try {
            header(8, FrameType.PING, FrameFlags.ACK, 0);
            append(b, off, 8);
            requestFlush();
        } finally {
            unlock();
        }
    }

    /** Writes a GOAWAY frame with a short debug text. */
    void writeGoAway(int lastStreamId, ErrorCode code, String debug) throws IOException {
        byte[] text = debug == null ? new byte[0] : debug.getBytes(StandardCharsets.UTF_8);
        lock();
        try {
            header(8 + text.length, FrameType.GOAWAY, 0, 0);
            int32(lastStreamId);
            int32(code.code());
            append(text, 0, text.length);
            // the socket is usually closed right after: flush now even if other writers are queued
            drain();
            out.flush();
        } catch (IOException e) {
            fail(e);
            throw e;
        } finally {
            unlock();
        }
    }

    /** Writes a RST_STREAM frame. */
    void writeRstStream(int streamId, ErrorCode code) throws IOException {
        lock();
        try {
            rstStream(streamId, code);
            requestFlush();
        } finally {
            unlock();
        }
    }

    /** Writes a WINDOW_UPDATE frame. */
    void writeWindowUpdate(int streamId, int increment) throws IOException {
        lock();
        try {
            windowUpdate(streamId, increment);
            requestFlush();
        } finally {
            unlock();
        }
    }

    // ---- buffer

    private void header(int length, int type, int flags, int streamId) throws IOException {
        ensure(FrameReader.HEADER_LENGTH);
        byte[] b = buf;
        int c = count;
        b[c] = (byte) (length >>> 16);
        b[c + 1] = (byte) (length >>> 8);
        b[c + 2] = (byte) length;
        b[c + 3] = (byte) type;
        b[c + 4] = (byte) flags;
        b[c + 5] = (byte) (streamId >>> 24);
        b[c + 6] = (byte) (streamId >>> 16);
        b[c + 7] = (byte) (streamId >>> 8);
        b[c + 8] = (byte) streamId;
        count = c + FrameReader.HEADER_LENGTH;
    }

    private void int32(int v) throws IOException {
        ensure(4);
        buf[count++] = (byte) (v >>> 24);
        buf[count++] = (byte) (v >>> 16);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (buf == null) {
            buf = new byte[BUFFER_SIZE];
        }
        if (len > buf.length - count) {
            drain();
            if (len > buf.length) {
                socketWrite(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void ensure(int n) throws IOException {
        if (buf == null) {
            buf = new byte[BUFFER_SIZE];
        } else if (buf.length - count < n) {
            drain();
        }
    }

    /**
     * Lets the buffer go when nothing is in it and nobody is writing: an idle connection then costs
     * ~20 KiB less. The next frame makes a new one.
     */
    void releaseIdleBuffer() {
        if (lock.tryLock()) {
            try {
                if (count == 0) {
                    buf = null;
                    encoder.releaseIdle();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes the buffered bytes to the socket. */
    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            socketWrite(buf, 0, n);
        }
    }

    private void socketWrite(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException("connection output failed", failure);
        }
        writeStartedNanos = System.nanoTime() | 1; // never 0, which means "not writing"
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            fail(e);
            throw e;
        } finally {
            writeStartedNanos = 0;
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        count = 0;
    }
}
