package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.COMPRESSION_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.STREAM_CLOSED;
import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One HTTP/2 connection (RFC 9113, cleartext prior knowledge; TLS is the caller's): the reader loop on
 * the caller's thread, frame dispatch by the stream-state rules of §5.1, stream bookkeeping, flow
 * control and the flood defences. Each request stream is served on its own new virtual thread.
 *
 * <p>Threading: {@link #serve()} runs the reader on the calling thread. Connection and stream state is
 * guarded by one {@link ReentrantLock} ({@code lock}), the output by the {@link FrameWriter}'s lock; the
 * state lock is never held while taking the writer lock, so a stalled socket write never blocks a
 * stream's bookkeeping. {@link #goAway()}, {@link #abort()}, {@link #checkIdle} and
 * {@link #openStreams()} may be called from any thread.
 */
public final class Http2Connection {
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());
    private static final ThreadFactory STREAM_THREADS = Thread.ofVirtual().name("ladle-h2-stream").factory();
    private static final HeaderSink DISCARD = (name, value) -> { };
    /**
     * How long a closing connection keeps reading after its GOAWAY. Closing a socket with unread input
     * makes the kernel send RST, which can destroy our GOAWAY (or a last response) before the peer reads
     * it; reading and dropping the peer's late frames for a moment lets the peer see the end cleanly.
     */
    private static final long LINGER_MILLIS = 1000;
    private static final long LINGER_BYTES = 1 << 20;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition sendWindowChanged = lock.newCondition();
    final ReceiveWindow connectionReceive;
    private final FlowWindow connectionSend = new FlowWindow(SettingsParameter.DEFAULT_WINDOW_SIZE);

    private final Http2Config config;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Runnable closer;
    private final Http2StreamHandler handler;
    private final long writeTimeoutNanos;

    // ---- reader thread only
    private final HpackDecoder decoder;
    private final RequestHeaderCollector collector;
    private final HeaderBlockBuffer headerBlock;
    /** Streams reset before they completed, by the peer (rapid reset) or by us for its faults. */
    private final TokenBucket resetBudget;
    private final TokenBucket emptyDataBudget = new TokenBucket(100, 50);
    private final TokenBucket settingsBudget = new TokenBucket(50, 10);
    private final TokenBucket pingBudget = new TokenBucket(500, 250);

    // ---- guarded by lock
    private final StreamMap streams = new StreamMap();
    private final ClosedStreams closedStreams = new ClosedStreams();
    private int openCount;
    private int lastStreamId;
    private int peerInitialWindowSize = SettingsParameter.DEFAULT_WINDOW_SIZE;
    private boolean goingAway;
    private int goAwayLastId;
    private boolean ended;
    private long lastActivityNanos = System.nanoTime();

    /**
     * @param config limits and settings
     * @param in the socket's input (after any TLS); read only by {@link #serve()}
     * @param out the socket's output; written under the writer lock
     * @param closer closes the underlying socket (any thread, idempotent)
     * @param handler serves each request stream on its own virtual thread
     */
    public Http2Connection(Http2Config config, InputStream in, OutputStream out, Runnable closer,
            Http2StreamHandler handler) {
        this.config = config;
        this.closer = closer;
        this.handler = handler;
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.reader = new FrameReader(in, config.maxFrameSize());
        this.writer = new FrameWriter(out, closer, writeTimeoutNanos);
        this.connectionReceive = new ReceiveWindow(config.connectionWindowSize());
        this.decoder = new HpackDecoder(config.headerTableSize());
        this.collector = new RequestHeaderCollector(config.enableConnectProtocol());
        // a compressed block is hardly larger than the list it decodes to; one extra frame of slack
        // keeps a slightly-too-large list answerable with 431 instead of ENHANCE_YOUR_CALM
        this.headerBlock = new HeaderBlockBuffer(config.maxHeaderListSize() + config.maxFrameSize());
        int resets = Math.max(100, 2 * config.maxConcurrentStreams());
        this.resetBudget = new TokenBucket(resets, resets / 2);
    }

    /**
     * Runs on the calling (virtual) thread until the connection ends: sends our SETTINGS at once, reads
     * and checks the client preface (a mismatch gets GOAWAY PROTOCOL_ERROR and a close), then reads
     * frames. Never throws for peer misbehaviour; returns when the connection is over and every stream
     * was told (their I/O fails, their reset listeners ran).
     */
    public void serve() throws IOException {
        writer.watch();
        writer.setReaderThread(Thread.currentThread());
        try {
            sendPreface();
            if (!reader.readPreface()) {
                throw new ConnectionException(PROTOCOL_ERROR, "invalid connection preface");
            }
            while (reader.next()) {
                try {
                    dispatch();
                } catch (StreamException e) {
                    streamError(e);
                }
            }
        } catch (ConnectionException e) {
            connectionError(e.code(), e.getMessage());
            closeSoon();
            reader.discardInput(LINGER_BYTES);
        } catch (IOException e) {
            // the peer closed, or we closed the socket (goAway, abort, the write watchdog)
            LOG.log(DEBUG, "HTTP/2 connection ended: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(WARNING, "HTTP/2 connection failed", e);
            connectionError(ErrorCode.INTERNAL_ERROR, "internal error");
        } finally {
            end();
        }
    }

    /**
     * Graceful shutdown from any thread: GOAWAY with the last stream id processed and NO_ERROR; streams
     * in flight finish, later streams are ignored, and the connection closes once the streams are done.
     */
    public void goAway() {
        int last;
        boolean drained;
        lock.lock();
        try {
            if (goingAway || ended) {
                return;
            }
            goingAway = true;
            goAwayLastId = lastStreamId;
            last = lastStreamId;
            drained = streams.isEmpty();
        } finally {
            lock.unlock();
        }
        try {
            writer.writeGoAway(last, ErrorCode.NO_ERROR, "shutting down");
        } catch (IOException e) {
            closer.run();
            return;
        }
        if (drained) {
            closeSoon();
        }
    }

    /**
     * Closes the socket after {@link #LINGER_MILLIS}; meanwhile the reader drops what the peer still
     * sends (and ends at once if the peer closes first).
     */
    private void closeSoon() {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                // close now
            }
            closer.run();
        });
    }

    /** Closes at once from any thread; streams in flight see their I/O fail and their reset listeners run. */
    public void abort() {
        closer.run();
    }

    /**
     * For a watchdog, about once a second: when no stream has been open for longer than
     * {@code idleTimeoutNanos}, sends GOAWAY NO_ERROR and closes.
     */
    public void checkIdle(long nowNanos, long idleTimeoutNanos) {
        expireDraining(nowNanos);
        long idleFor;
        lock.lock();
        try {
            if (ended || goingAway || !streams.isEmpty()) {
                return;
            }
            idleFor = nowNanos - lastActivityNanos;
        } finally {
            lock.unlock();
        }
        if (idleFor >= idleTimeoutNanos) {
            goAway();
        } else if (idleFor > KEEP_BUFFERS_NANOS) {
            // idle a while: thousands of such connections should cost little memory
            writer.releaseIdleBuffer();
            reader.dropParked();
        }
    }

    /** How long a connection without streams keeps its large buffers. */
    private static final long KEEP_BUFFERS_NANOS = 1_000_000_000L;

    /** Cuts off (RST_STREAM NO_ERROR) the streams that have been reading away an unwanted body too long. */
    private void expireDraining(long nowNanos) {
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
        if (expired != null) {
            for (Http2Stream s : expired) {
                try {
                    streamError(new StreamException(s.id(), ErrorCode.NO_ERROR, "request body not sent in time"));
                } catch (IOException | ConnectionException e) {
                    abort();
                    return;
                }
            }
        }
    }

    /** The most request body bytes read away after the answer, before the stream is reset instead. */
    private static final long DRAIN_LIMIT = 64 * 1024;
    /** How long the rest of an answered request may take to arrive before the stream is reset. */
    private static final long DRAIN_NANOS = 2_000_000_000L;

    /** The streams whose handler is still running. */
    public int openStreams() {
        lock.lock();
        try {
            return streams.size();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reader loop

    private void sendPreface() throws IOException {
        List<Integer> s = new ArrayList<>(12);
        s.add(SettingsParameter.MAX_CONCURRENT_STREAMS);
        s.add(config.maxConcurrentStreams());
        s.add(SettingsParameter.INITIAL_WINDOW_SIZE);
        s.add(config.initialWindowSize());
        if (config.maxFrameSize() != SettingsParameter.DEFAULT_MAX_FRAME_SIZE) {
            s.add(SettingsParameter.MAX_FRAME_SIZE);
            s.add(config.maxFrameSize());
        }
        s.add(SettingsParameter.MAX_HEADER_LIST_SIZE);
        s.add(config.maxHeaderListSize());
        if (config.headerTableSize() != SettingsParameter.DEFAULT_HEADER_TABLE_SIZE) {
            s.add(SettingsParameter.HEADER_TABLE_SIZE);
            s.add(config.headerTableSize());
        }
        if (config.enableConnectProtocol()) {
            s.add(SettingsParameter.ENABLE_CONNECT_PROTOCOL);
            s.add(1);
        }
        writer.lock();
        try {
            writer.settings(s.stream().mapToInt(Integer::intValue).toArray());
            int extra = config.connectionWindowSize() - SettingsParameter.DEFAULT_WINDOW_SIZE;
            if (extra > 0) {
                writer.windowUpdate(0, extra);
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
    }

    private void dispatch() throws IOException, ConnectionException, StreamException {
        int type = reader.type();
        if (headerBlock.inProgress() && type != FrameType.CONTINUATION) {
            throw new ConnectionException(PROTOCOL_ERROR, "frame inside a header block");
        }
        switch (type) {
            case FrameType.DATA -> onData();
            case FrameType.HEADERS -> onHeaders();
            case FrameType.PRIORITY -> onPriority();
            case FrameType.RST_STREAM -> onRstStream();
            case FrameType.SETTINGS -> onSettings();
            case FrameType.PUSH_PROMISE -> throw new ConnectionException(PROTOCOL_ERROR, "PUSH_PROMISE from a client");
            case FrameType.PING -> onPing();
            case FrameType.GOAWAY -> onGoAway();
            case FrameType.WINDOW_UPDATE -> onWindowUpdate();
            case FrameType.CONTINUATION -> onContinuation();
            default -> {
                // unknown frame types are ignored (RFC 9113 §4.1, §5.5)
            }
        }
    }

    private void onData() throws IOException, ConnectionException, StreamException {
        int sid = reader.streamId();
        int length = reader.length();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "DATA on stream 0");
        }
        byte[] b = reader.buffer();
        int off = reader.payloadOffset();
        int dataLength = length;
        if (reader.hasFlag(FrameFlags.PADDED)) {
            int pad = length == 0 ? Integer.MAX_VALUE : b[off] & 0xff;
            if (pad >= length) {
                throw new ConnectionException(PROTOCOL_ERROR, "DATA padding exceeds the payload");
            }
            off++;
            dataLength = length - 1 - pad;
        }
        boolean endStream = reader.hasFlag(FrameFlags.END_STREAM);
        if (length == 0 && !endStream && !emptyDataBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many empty DATA frames");
        }
        Http2Stream s;
        int connectionIncrement = 0;
        int streamIncrement = 0;
        StreamException error = null;
        lock.lock();
        try {
            if (sid > lastStreamId) {
                throw new ConnectionException(PROTOCOL_ERROR, "DATA on idle stream " + sid);
            }
            // every DATA frame counts against the connection window, even on a closed stream (§6.9)
            if (!connectionReceive.receive(length)) {
                throw new ConnectionException(FLOW_CONTROL_ERROR, "connection receive window exceeded");
            }
            s = streams.get(sid);
            int state = s == null ? closedStreams.reason(sid) : closedState(s);
            if (s == null || state != OPEN) {
                connectionIncrement = connectionReceive.consume(length);
                if (state != ClosedStreams.RESET_BY_US && state != ClosedStreams.IGNORED) {
                    error = new StreamException(sid, STREAM_CLOSED, "DATA on closed stream " + sid);
                }
            } else if (!s.receiveWindow.receive(length)) {
                connectionIncrement = connectionReceive.consume(length);
                error = new StreamException(sid, FLOW_CONTROL_ERROR, "stream receive window exceeded");
            } else {
                s.received += dataLength;
                long declared = s.request().contentLength();
                if (declared >= 0 && (s.received > declared || (endStream && s.received != declared))) {
                    connectionIncrement = connectionReceive.consume(length);
                    error = new StreamException(sid, PROTOCOL_ERROR, "body length differs from content-length");
                } else if (s.draining) {
                    connectionIncrement = connectionReceive.consume(length);
                    streamIncrement = endStream ? 0 : s.receiveWindow.consume(length);
                    s.drained += length;
                    if (endStream) {
                        remoteEnded(s);
                    } else if (s.drained > DRAIN_LIMIT) {
                        error = new StreamException(sid, ErrorCode.NO_ERROR, "request body not wanted");
                    }
                } else {
                    s.enqueue(b, off, dataLength);
                    int padding = length - dataLength;
                    if (padding > 0) {
                        // padding is consumed on arrival: nobody reads it
                        connectionIncrement = connectionReceive.consume(padding);
                        streamIncrement = endStream ? 0 : s.receiveWindow.consume(padding);
                    }
                    if (endStream) {
                        remoteEnded(s);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        sendWindowUpdates(s, streamIncrement, connectionIncrement);
        if (error != null) {
            throw error;
        }
    }

    private void onHeaders() throws IOException, ConnectionException, StreamException {
        int sid = reader.streamId();
        int length = reader.length();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "HEADERS on stream 0");
        }
        byte[] b = reader.buffer();
        int off = reader.payloadOffset();
        int end = off + length;
        int pad = 0;
        if (reader.hasFlag(FrameFlags.PADDED)) {
            if (length < 1) {
                throw new ConnectionException(FRAME_SIZE_ERROR, "HEADERS too short for its pad length");
            }
            pad = b[off++] & 0xff;
        }
        boolean selfDependent = false;
        if (reader.hasFlag(FrameFlags.PRIORITY)) {
            if (end - off < 5) {
                throw new ConnectionException(FRAME_SIZE_ERROR, "HEADERS too short for its priority");
            }
            selfDependent = FrameReader.int31(b, off) == sid;
            off += 5;
        }
        if (pad > end - off) {
            throw new ConnectionException(PROTOCOL_ERROR, "HEADERS padding exceeds the payload");
        }
        boolean endStream = reader.hasFlag(FrameFlags.END_STREAM);
        if (reader.hasFlag(FrameFlags.END_HEADERS)) {
            onHeaderBlock(sid, b, off, end - off - pad, endStream, selfDependent);
        } else {
            headerBlockStartedNanos = System.nanoTime() | 1;
            headerBlock.start(sid, endStream, selfDependent, b, off, end - off - pad);
        }
    }

    /** {@link System#nanoTime()} when the header block in progress began (HEADERS without END_HEADERS), or 0. */
    private volatile long headerBlockStartedNanos;

    /**
     * Called by a watchdog about once a second: a header block left unfinished (HEADERS without
     * END_HEADERS, then no CONTINUATION) for longer than {@code headerTimeoutNanos} is HTTP/2's
     * slowloris; nothing can be answered in the middle of a block, so the connection ends with GOAWAY.
     */
    public void checkHeaderTimeout(long nowNanos, long headerTimeoutNanos) {
        long started = headerBlockStartedNanos;
        if (started != 0 && nowNanos - started > headerTimeoutNanos) {
            headerBlockStartedNanos = 0;
            connectionError(ENHANCE_YOUR_CALM, "header block not completed in time");
            closeSoon();
        }
    }

    private void onContinuation() throws IOException, ConnectionException, StreamException {
        if (!headerBlock.inProgress() || reader.streamId() != headerBlock.streamId()) {
            throw new ConnectionException(PROTOCOL_ERROR, "CONTINUATION without a header block in progress");
        }
        headerBlock.append(reader.buffer(), reader.payloadOffset(), reader.length());
        if (reader.hasFlag(FrameFlags.END_HEADERS)) {
            headerBlockStartedNanos = 0;
            int sid = headerBlock.streamId();
            headerBlock.finish();
            try {
                onHeaderBlock(sid, headerBlock.bytes(), 0, headerBlock.length(),
                        headerBlock.endStream(), headerBlock.selfDependent());
            } finally {
                headerBlock.release();
            }
        }
    }

    /** A complete field block: a new request, trailers, or a frame on a closed stream. */
    private void onHeaderBlock(int sid, byte[] b, int off, int len, boolean endStream, boolean selfDependent)
            throws IOException, ConnectionException, StreamException {
        if ((sid & 1) == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "even stream id " + sid + " from a client");
        }
        Http2Stream s;
        int last;
        lock.lock();
        try {
            s = streams.get(sid);
            last = lastStreamId;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            onTrailers(s, b, off, len, endStream);
            return;
        }
        if (sid <= last) {
            // HPACK state must follow every block, even one we refuse
            decode(b, off, len, DISCARD);
            int how;
            lock.lock();
            try {
                how = closedStreams.reason(sid);
            } finally {
                lock.unlock();
            }
            switch (how) {
                case ClosedStreams.RESET_BY_US, ClosedStreams.IGNORED -> {
                    return;
                }
                case ClosedStreams.RESET_BY_PEER -> throw new StreamException(sid, STREAM_CLOSED, "HEADERS after RST_STREAM");
                case ClosedStreams.ENDED -> throw new ConnectionException(STREAM_CLOSED, "HEADERS on closed stream " + sid);
                default -> throw new ConnectionException(PROTOCOL_ERROR, "stream id " + sid + " not increasing");
            }
        }
        collector.reset(false);
        boolean fits = decode(b, off, len, collector);
        boolean ignore;
        lock.lock();
        try {
            lastStreamId = sid;
            ignore = goingAway && sid > goAwayLastId;
            if (ignore) {
                closedStreams.add(sid, ClosedStreams.IGNORED);
            }
        } finally {
            lock.unlock();
        }
        if (ignore) {
            return;
        }
        if (selfDependent) {
            throw new StreamException(sid, PROTOCOL_ERROR, "stream depends on itself");
        }
        if (!fits) {
            answerHeaderListTooLarge(sid, endStream);
            return;
        }
        String error = collector.error();
        if (error != null) {
            throw new StreamException(sid, PROTOCOL_ERROR, error);
        }
        Http2Request request = collector.request(endStream);
        if (endStream && request.contentLength() > 0) {
            throw new StreamException(sid, PROTOCOL_ERROR, "content-length without a body");
        }
        lock.lock();
        try {
            if (ended) {
                return;
            }
            if (openCount >= config.maxConcurrentStreams() || streams.size() >= 2 * config.maxConcurrentStreams()) {
                s = null;
            } else {
                s = new Http2Stream(this, writer, sid, request, config.initialWindowSize(), peerInitialWindowSize);
                streams.put(s);
                openCount++;
            }
        } finally {
            lock.unlock();
        }
        if (s == null) {
            throw new StreamException(sid, ErrorCode.REFUSED_STREAM, "too many concurrent streams");
        }
        STREAM_THREADS.newThread(runHandler(s)).start();
    }

    private void onTrailers(Http2Stream s, byte[] b, int off, int len, boolean endStream)
            throws IOException, ConnectionException, StreamException {
        int sid = s.id();
        collector.reset(true);
        boolean fits = decode(b, off, len, collector);
        int state;
        lock.lock();
        try {
            state = closedState(s);
        } finally {
            lock.unlock();
        }
        switch (state) {
            case ClosedStreams.RESET_BY_US -> {
                return;
            }
            case ClosedStreams.ENDED -> throw new ConnectionException(STREAM_CLOSED, "HEADERS on closed stream " + sid);
            case OPEN -> {
            }
            default -> throw new StreamException(sid, STREAM_CLOSED, "HEADERS on half-closed stream " + sid);
        }
        if (!endStream) {
            throw new StreamException(sid, PROTOCOL_ERROR, "second HEADERS without END_STREAM");
        }
        if (!fits) {
            throw new StreamException(sid, ENHANCE_YOUR_CALM, "trailers exceed the header list size");
        }
        String error = collector.error();
        if (error != null) {
            throw new StreamException(sid, PROTOCOL_ERROR, error);
        }
        lock.lock();
        try {
            long declared = s.request().contentLength();
            if (declared >= 0 && s.received != declared) {
                throw new StreamException(sid, PROTOCOL_ERROR, "body length differs from content-length");
            }
            s.trailers(collector.trailerFields());
            remoteEnded(s);
        } finally {
            lock.unlock();
        }
    }

    private boolean decode(byte[] b, int off, int len, HeaderSink sink) throws ConnectionException {
        try {
            return decoder.decode(b, off, len, config.maxHeaderListSize(), sink);
        } catch (HpackException e) {
            throw new ConnectionException(COMPRESSION_ERROR, "HPACK: " + e.getMessage());
        }
    }

    /** Answers a request head over the size limit with 431 and never starts its handler. */
    private void answerHeaderListTooLarge(int sid, boolean endStream) throws IOException, ConnectionException {
        LOG.log(DEBUG, "HTTP/2 stream {0}: header list over {1} bytes, answered 431", sid, config.maxHeaderListSize());
        writer.lock();
        try {
            HpackEncoder encoder = writer.encoder();
            encoder.startBlock();
            encoder.status(431);
            writer.headers(sid, encoder.blockArray(), encoder.blockLength(), true);
            if (!endStream) {
                // the response is complete; the request body is not wanted (RFC 9113 §8.1)
                writer.rstStream(sid, ErrorCode.NO_ERROR);
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
        lock.lock();
        try {
            closedStreams.add(sid, endStream ? ClosedStreams.ENDED : ClosedStreams.RESET_BY_US);
        } finally {
            lock.unlock();
        }
        if (!resetBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many refused requests");
        }
    }

    private void onPriority() throws ConnectionException, StreamException {
        int sid = reader.streamId();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "PRIORITY on stream 0");
        }
        if (reader.length() != 5) {
            throw new StreamException(sid, FRAME_SIZE_ERROR, "PRIORITY of " + reader.length() + " bytes");
        }
        if (FrameReader.int31(reader.buffer(), reader.payloadOffset()) == sid) {
            throw new StreamException(sid, PROTOCOL_ERROR, "stream depends on itself");
        }
        // RFC 9113 deprecates the priority scheme; a valid PRIORITY frame changes nothing here
    }

    private void onRstStream() throws IOException, ConnectionException {
        int sid = reader.streamId();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "RST_STREAM on stream 0");
        }
        if (reader.length() != 4) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "RST_STREAM of " + reader.length() + " bytes");
        }
        int code = FrameReader.int32(reader.buffer(), reader.payloadOffset());
        Http2Stream s;
        List<Runnable> listeners;
        int connectionIncrement;
        boolean answered;
        lock.lock();
        try {
            if (sid > lastStreamId) {
                throw new ConnectionException(PROTOCOL_ERROR, "RST_STREAM on idle stream " + sid);
            }
            s = streams.get(sid);
            if (s == null || closedState(s) != OPEN && closedState(s) != HALF_CLOSED_REMOTE) {
                return;
            }
            ErrorCode known = ErrorCode.of(code);
            s.resetCode = known == null ? ErrorCode.INTERNAL_ERROR : known;
            s.resetByPeer = true;
            connectionIncrement = connectionReceive.consume(s.discard());
            closeIfDone(s);
            s.readable.signalAll();
            sendWindowChanged.signalAll();
            listeners = s.takeResetListeners();
            answered = s.handlerDone;
            if (answered) {
                // the client stops sending a body we no longer read: an ordinary end, not a rapid reset
                retire(s, ClosedStreams.RESET_BY_PEER);
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
        if (!answered && !resetBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many stream resets");
        }
    }

    private void onSettings() throws IOException, ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS on a stream");
        }
        int length = reader.length();
        if (reader.hasFlag(FrameFlags.ACK)) {
            if (length != 0) {
                throw new ConnectionException(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
            }
            return;
        }
        if (length % 6 != 0) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "SETTINGS of " + length + " bytes");
        }
        if (!settingsBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many SETTINGS frames");
        }
        byte[] b = reader.buffer();
        int initialWindow = -1;
        int maxFrame = -1;
        int tableSize = -1;
        for (int p = reader.payloadOffset(), end = p + length; p < end; p += 6) {
            int id = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
            int value = FrameReader.int32(b, p + 2);
            switch (id) {
                case SettingsParameter.ENABLE_PUSH, SettingsParameter.ENABLE_CONNECT_PROTOCOL -> {
                    if (value != 0 && value != 1) {
                        throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS " + id + " value " + value);
                    }
                }
                case SettingsParameter.INITIAL_WINDOW_SIZE -> {
                    if (value < 0) { // above 2^31-1 as an unsigned value
                        throw new ConnectionException(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE too large");
                    }
                    initialWindow = value;
                }
                case SettingsParameter.MAX_FRAME_SIZE -> {
                    if (value < SettingsParameter.DEFAULT_MAX_FRAME_SIZE || value > SettingsParameter.MAX_MAX_FRAME_SIZE) {
                        throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE out of range");
                    }
                    maxFrame = value;
                }
                case SettingsParameter.HEADER_TABLE_SIZE -> tableSize = value < 0 ? Integer.MAX_VALUE : value;
                default -> {
                    // MAX_CONCURRENT_STREAMS limits pushes, which we never send; MAX_HEADER_LIST_SIZE is
                    // advisory; unknown ids must be ignored (§6.5.2)
                }
            }
        }
        if (initialWindow >= 0) {
            lock.lock();
            try {
                int delta = initialWindow - peerInitialWindowSize;
                peerInitialWindowSize = initialWindow;
                for (Http2Stream s : streams.snapshot()) {
                    if (!s.sendWindow.adjust(delta)) {
                        throw new ConnectionException(FLOW_CONTROL_ERROR, "stream window above 2^31-1");
                    }
                }
                sendWindowChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
        writer.applyPeerSettingsAndAck(maxFrame, tableSize);
    }

    private void onPing() throws IOException, ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "PING on a stream");
        }
        if (reader.length() != 8) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "PING of " + reader.length() + " bytes");
        }
        if (reader.hasFlag(FrameFlags.ACK)) {
            return;
        }
        if (!pingBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many PING frames");
        }
        writer.writePingAck(reader.buffer(), reader.payloadOffset());
    }

    private void onGoAway() throws ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "GOAWAY on a stream");
        }
        if (reader.length() < 8) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "GOAWAY of " + reader.length() + " bytes");
        }
        // the client opens no more streams; those in flight finish, then it closes the connection
        LOG.log(DEBUG, "HTTP/2 GOAWAY from the peer, code {0}",
                FrameReader.int32(reader.buffer(), reader.payloadOffset() + 4));
    }

    private void onWindowUpdate() throws ConnectionException, StreamException {
        int sid = reader.streamId();
        if (reader.length() != 4) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + reader.length() + " bytes");
        }
        int increment = FrameReader.int31(reader.buffer(), reader.payloadOffset());
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
            if (sid > lastStreamId) {
                throw new ConnectionException(PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + sid);
            }
            if (increment == 0) {
                throw new StreamException(sid, PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
            }
            Http2Stream s = streams.get(sid);
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

    // ---------------------------------------------------------------- errors and ending

    private void streamError(StreamException e) throws IOException, ConnectionException {
        int sid = e.streamId();
        LOG.log(DEBUG, "HTTP/2 stream {0} reset with {1}: {2}", sid, e.code(), e.getMessage());
        Http2Stream s;
        List<Runnable> listeners = null;
        int connectionIncrement = 0;
        boolean write = true;
        lock.lock();
        try {
            s = streams.get(sid);
            if (s != null) {
                if (s.resetCode == null) {
                    s.resetCode = e.code();
                    s.resetByUs = true;
                    connectionIncrement = connectionReceive.consume(s.discard());
                    closeIfDone(s);
                    s.readable.signalAll();
                    sendWindowChanged.signalAll();
                    // the handler learns its request was malformed after all
                    listeners = s.takeResetListeners();
                    if (s.handlerDone) {
                        retire(s, ClosedStreams.RESET_BY_US);
                    }
                } else {
                    // whoever set the reset code writes the RST_STREAM; only a faulty frame after the
                    // peer's own reset gets an answer of its own (STREAM_CLOSED)
                    write = s.resetByPeer;
                }
            } else if (sid <= lastStreamId) {
                closedStreams.add(sid, ClosedStreams.RESET_BY_US);
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
        if (!resetBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many stream errors");
        }
    }

    private void connectionError(ErrorCode code, String message) {
        LOG.log(DEBUG, "HTTP/2 connection error {0}: {1}", code, message);
        int last;
        lock.lock();
        try {
            last = lastStreamId;
        } finally {
            lock.unlock();
        }
        try {
            writer.writeGoAway(last, code, message);
        } catch (IOException e) {
            // the connection is going anyway
        }
    }

    /** Ends the connection: tells every stream, closes the socket, runs reset listeners. */
    private void end() {
        List<Runnable> listeners = new ArrayList<>();
        lock.lock();
        try {
            ended = true;
            for (Http2Stream s : streams.snapshot()) {
                s.connectionEnded = true;
                s.readable.signalAll();
                if (s.counted) {
                    List<Runnable> l = s.takeResetListeners();
                    if (l != null) {
                        listeners.addAll(l);
                    }
                }
            }
            sendWindowChanged.signalAll();
        } finally {
            lock.unlock();
        }
        closer.run();
        writer.dispose();
        runListeners(listeners);
    }

    private static void runListeners(List<Runnable> listeners) {
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

    // ---------------------------------------------------------------- stream bookkeeping

    private static final int OPEN = 100;
    private static final int HALF_CLOSED_REMOTE = 101;

    /** Where a stream in the map stands, as a {@link ClosedStreams} reason or OPEN/HALF_CLOSED_REMOTE. Lock held. */
    private static int closedState(Http2Stream s) {
        if (s.resetCode != null) {
            return s.resetByPeer ? ClosedStreams.RESET_BY_PEER : ClosedStreams.RESET_BY_US;
        }
        if (s.remoteClosed) {
            return s.localEnded ? ClosedStreams.ENDED : HALF_CLOSED_REMOTE;
        }
        return OPEN;
    }

    /** The peer's END_STREAM arrived. Lock held. */
    private void remoteEnded(Http2Stream s) {
        s.remoteClosed = true;
        s.readable.signalAll();
        closeIfDone(s);
        if (s.draining) {
            retire(s, ClosedStreams.ENDED);
        }
    }

    /**
     * Forgets a stream whose handler is done and that is closed now. Lock held. When the connection
     * was going away and this was its last stream, the connection closes shortly.
     */
    private void retire(Http2Stream s, int reason) {
        s.draining = false;
        if (streams.get(s.id()) == s) {
            streams.remove(s.id());
            closedStreams.add(s.id(), reason);
        }
        lastActivityNanos = System.nanoTime();
        if (goingAway && streams.isEmpty() && !ended && !closeScheduled) {
            closeScheduled = true;
            Thread.ofVirtual().start(() -> {
                try {
                    writer.flushNow();
                } catch (IOException e) {
                    // closing anyway
                }
                closeSoon();
            });
        }
    }

    /** A drained connection's close was scheduled by {@link #retire}. Lock held. */
    private boolean closeScheduled;

    /** Stops counting a stream against MAX_CONCURRENT_STREAMS once it is closed. Lock held. */
    private void closeIfDone(Http2Stream s) {
        if (s.counted && (s.resetCode != null || (s.remoteClosed && s.localEnded))) {
            s.counted = false;
            openCount--;
        }
    }

    /** Our END_STREAM is about to be written. */
    void localEnded(Http2Stream s) {
        lock.lock();
        try {
            s.localEnded = true;
            closeIfDone(s);
        } finally {
            lock.unlock();
        }
    }

    private Runnable runHandler(Http2Stream s) {
        return () -> {
            try {
                handler.serve(s);
            } catch (IOException e) {
                LOG.log(DEBUG, "HTTP/2 stream {0}: {1}", s.id(), e.toString());
            } catch (Exception e) {
                LOG.log(WARNING, "HTTP/2 handler failed on " + s, e);
            } finally {
                finish(s);
            }
        };
    }

    /**
     * Ends a stream once its handler returned: an unfinished response is reset with INTERNAL_ERROR; a
     * request body still arriving is cut off with RST_STREAM NO_ERROR after our END_STREAM, and the
     * credit of its discarded data goes back to the connection window.
     */
    private void finish(Http2Stream s) {
        boolean unfinished;
        lock.lock();
        try {
            // claim the reset under the state lock, so a concurrent stream error writes the only RST_STREAM
            unfinished = !s.localEnded && s.resetCode == null;
            if (unfinished) {
                s.resetCode = ErrorCode.INTERNAL_ERROR;
                s.resetByUs = true;
                // free the slot before the RST_STREAM goes out: the client may open the next stream at once
                closeIfDone(s);
            }
        } finally {
            lock.unlock();
        }
        try {
            writer.lock();
            try {
                if (unfinished && !s.rstWritten) {
                    writer.rstStream(s.id(), ErrorCode.INTERNAL_ERROR);
                    s.rstWritten = true;
                }
                s.outputClosed = true;
                writer.requestFlush();
            } finally {
                writer.unlock();
            }
        } catch (IOException e) {
            // the connection failed; end() tells everyone
        }
        boolean cutOff;
        boolean drained;
        int connectionIncrement;
        int streamIncrement = 0;
        lock.lock();
        try {
            boolean bodyComing = !s.remoteClosed && s.resetCode == null;
            // answered before its body ended: keep reading (and checking) the rest for a while, as
            // HTTP/1 reads a small body away, instead of cutting the client off mid-request
            boolean drain = bodyComing && s.localEnded && !ended && !goingAway && s.received <= DRAIN_LIMIT;
            cutOff = bodyComing && !drain;
            if (cutOff) {
                s.resetCode = ErrorCode.NO_ERROR;
                s.resetByUs = true;
            }
            int discarded = s.discard();
            connectionIncrement = connectionReceive.consume(discarded);
            s.handlerDone = true;
            closeIfDone(s);
            if (drain) {
                s.draining = true;
                s.drained = discarded;
                s.drainDeadlineNanos = System.nanoTime() + DRAIN_NANOS;
                streamIncrement = s.receiveWindow.consume(discarded);
                drained = false;
            } else {
                streams.remove(s.id());
                closedStreams.add(s.id(), s.resetByUs ? ClosedStreams.RESET_BY_US
                        : s.resetByPeer ? ClosedStreams.RESET_BY_PEER : ClosedStreams.ENDED);
                lastActivityNanos = System.nanoTime();
                drained = goingAway && streams.isEmpty() && !ended;
            }
        } finally {
            lock.unlock();
        }
        try {
            if (cutOff || connectionIncrement > 0 || streamIncrement > 0) {
                writer.lock();
                try {
                    if (cutOff && !s.rstWritten) {
                        writer.rstStream(s.id(), ErrorCode.NO_ERROR);
                        s.rstWritten = true;
                    }
                    if (connectionIncrement > 0) {
                        writer.windowUpdate(0, connectionIncrement);
                    }
                    if (streamIncrement > 0 && !s.rstWritten) {
                        writer.windowUpdate(s.id(), streamIncrement);
                    }
                    writer.requestFlush();
                } finally {
                    writer.unlock();
                }
            }
            if (drained) {
                writer.flushNow();
            }
        } catch (IOException e) {
            // the connection failed; end() tells everyone
        }
        if (drained) {
            closeSoon();
        }
    }

    /** Waits for send credit on the stream and the connection; returns the bytes reserved (at most {@code want}). */
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
                    break;
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
        resetByHandler(s, ErrorCode.CANCEL);
        throw new SocketTimeoutException("no flow-control credit from the peer within " + config.writeTimeout());
    }

    /** Sends WINDOW_UPDATEs for consumed request data (either increment may be 0). */
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

    /** RST_STREAM from our side, asked for by the handler (or a write timeout). */
    void resetByHandler(Http2Stream s, ErrorCode code) {
        int connectionIncrement;
        lock.lock();
        try {
            if (s.resetCode != null || ended || (s.remoteClosed && s.localEnded)) {
                return;
            }
            s.resetCode = code;
            s.resetByUs = true;
            connectionIncrement = connectionReceive.consume(s.discard());
            closeIfDone(s);
            s.readable.signalAll();
            sendWindowChanged.signalAll();
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
}
