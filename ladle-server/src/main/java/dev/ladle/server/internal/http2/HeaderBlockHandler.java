package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.COMPRESSION_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.STREAM_CLOSED;
import static java.lang.System.Logger.Level.DEBUG;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HEADERS and CONTINUATION frames: assembles each field block, decodes it with HPACK, and opens a new
 * request stream (starting its handler), sets a stream's trailers, or refuses the block by the
 * stream-state rules of RFC 9113 §5.1. Reader thread, except {@link #headerBlockOverdue}.
 */
final class HeaderBlockHandler {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());
    private static final HeaderSink DISCARD = (name, value) -> { };

    private final Http2Connection connection;
    private final Http2Config config;
    private final ReentrantLock lock;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final StreamRegistry registry;
    private final FlowControl flow;
    private final StreamResets resets;
    private final StreamHandlerRunner runner;

    // ---- reader thread only
    private final HpackDecoder decoder;
    private final RequestHeaderCollector collector;
    private final HeaderBlockBuffer headerBlock;

    /** {@link System#nanoTime()} when the header block in progress began (HEADERS without END_HEADERS), or 0. */
    private volatile long headerBlockStartedNanos;

    /**
     * @param connection the connection its new streams belong to
     * @param config limits and settings
     * @param lock the connection's state lock
     * @param reader the current frame
     * @param writer where a 431 answer goes
     * @param registry the streams
     * @param flow the send window new streams start with
     * @param resets the reset budget a refused request spends
     * @param runner starts each new stream's handler
     */
    HeaderBlockHandler(Http2Connection connection, Http2Config config, ReentrantLock lock, FrameReader reader,
            FrameWriter writer, StreamRegistry registry, FlowControl flow, StreamResets resets,
            StreamHandlerRunner runner) {
        this.connection = connection;
        this.config = config;
        this.lock = lock;
        this.reader = reader;
        this.writer = writer;
        this.registry = registry;
        this.flow = flow;
        this.resets = resets;
        this.runner = runner;
        this.decoder = new HpackDecoder(config.headerTableSize());
        this.collector = new RequestHeaderCollector(config.enableConnectProtocol());
        // a compressed block is hardly larger than the list it decodes to; one extra frame of slack
        // keeps a slightly-too-large list answerable with 431 instead of ENHANCE_YOUR_CALM
        this.headerBlock = new HeaderBlockBuffer(config.maxHeaderListSize() + config.maxFrameSize());
    }

    /** Lets the decoder's scratch space go, for a connection that waits without a thread (no block in progress). */
    void releaseIdle() {
        decoder.releaseScratch();
    }

    /** True while a block awaits CONTINUATION frames (no other frame may come in between). */
    boolean inProgress() {
        return headerBlock.inProgress();
    }

    /**
     * True, once, when a header block left unfinished (HEADERS without END_HEADERS, then no
     * CONTINUATION) is older than {@code headerTimeoutNanos}. Any thread.
     */
    boolean headerBlockOverdue(long nowNanos, long headerTimeoutNanos) {
        long started = headerBlockStartedNanos;
        if (started != 0 && nowNanos - started > headerTimeoutNanos) {
            headerBlockStartedNanos = 0;
            return true;
        }
        return false;
    }

    void onHeaders() throws IOException, ConnectionException, StreamException {
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

    void onContinuation() throws IOException, ConnectionException, StreamException {
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
            s = registry.get(sid);
            last = registry.lastStreamId();
        } finally {
            lock.unlock();
        }
        if (s != null) {
            onTrailers(s, b, off, len, endStream);
            return;
        }
        if (sid <= last) {
            onClosedStream(sid, b, off, len);
            return;
        }
        collector.reset(false);
        boolean fits = decode(b, off, len, collector);
        boolean ignore;
        lock.lock();
        try {
            ignore = registry.openedAfterGoAway(sid);
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
        open(sid, request);
    }

    /** A field block on a stream that is no longer active: ignored or an error, by how it closed. */
    private void onClosedStream(int sid, byte[] b, int off, int len) throws ConnectionException, StreamException {
        // HPACK state must follow every block, even one we refuse
        decode(b, off, len, DISCARD);
        int how;
        lock.lock();
        try {
            how = registry.closedReason(sid);
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

    /** Opens a stream for a valid request and starts its handler, or refuses it when too many are open. */
    private void open(int sid, Http2Request request) throws StreamException {
        Http2Stream s;
        lock.lock();
        try {
            if (registry.ended()) {
                return;
            }
            if (!registry.hasRoom()) {
                s = null;
            } else {
                s = new Http2Stream(connection, writer, sid, request, config.initialWindowSize(),
                        flow.peerInitialWindowSize());
                registry.add(s);
            }
        } finally {
            lock.unlock();
        }
        if (s == null) {
            throw new StreamException(sid, ErrorCode.REFUSED_STREAM, "too many concurrent streams");
        }
        runner.start(s);
    }

    private void onTrailers(Http2Stream s, byte[] b, int off, int len, boolean endStream)
            throws IOException, ConnectionException, StreamException {
        int sid = s.id();
        collector.reset(true);
        boolean fits = decode(b, off, len, collector);
        int state;
        lock.lock();
        try {
            state = StreamRegistry.state(s);
        } finally {
            lock.unlock();
        }
        switch (state) {
            case ClosedStreams.RESET_BY_US -> {
                return;
            }
            case ClosedStreams.ENDED -> throw new ConnectionException(STREAM_CLOSED, "HEADERS on closed stream " + sid);
            case StreamRegistry.OPEN -> {
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
            registry.remoteEnded(s);
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
            registry.addClosed(sid, endStream ? ClosedStreams.ENDED : ClosedStreams.RESET_BY_US);
        } finally {
            lock.unlock();
        }
        resets.spendResetBudget("too many refused requests");
    }
}
