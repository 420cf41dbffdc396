package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One HTTP/2 connection (RFC 9113, cleartext prior knowledge; TLS is the caller's): the reader loop on
 * the caller's thread, frame dispatch by the stream-state rules of §5.1, stream bookkeeping, flow
 * control and the flood defences. Each request stream is served on its own new virtual thread.
 *
 * <p>The work is done by package-private parts: {@link FrameDispatcher} routes frames to
 * {@link DataFrameHandler}, {@link HeaderBlockHandler} and {@link SettingsExchange}; {@link StreamRegistry}
 * holds the streams and their states, {@link FlowControl} the windows, {@link StreamResets} the
 * RST_STREAMs of either side; {@link StreamHandlerRunner} runs the handlers; {@link ConnectionShutdown}
 * and {@link LingeringClose} end the connection.
 *
 * <p>Threading: {@link #serve()} runs the reader on the calling thread. Connection and stream state is
 * guarded by one {@link ReentrantLock} ({@code lock}), the output by the {@link FrameWriter}'s lock; the
 * state lock is never held while taking the writer lock, so a stalled socket write never blocks a
 * stream's bookkeeping. {@link #goAway()}, {@link #abort()}, {@link #checkIdle} and
 * {@link #openStreams()} may be called from any thread.
 */
public final class Http2Connection {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());

    /** The state lock: guards the streams, their states and the windows. */
    final ReentrantLock lock = new ReentrantLock();

    private final Http2Config config;
    private final FrameReader reader;
    private final StreamHandlerRunner runner;
    private final FrameWriter writer;
    private final LingeringClose lingeringClose;
    private final StreamRegistry registry;
    private final FlowControl flow;
    private final StreamResets resets;
    private final ConnectionShutdown shutdown;
    private final SettingsExchange settings;
    private final HeaderBlockHandler headerBlocks;
    private final FrameDispatcher dispatcher;
    /** How the reader parks while no stream is open; null to keep the thread. */
    private final dev.ladle.server.internal.IdleParking parking;

    /**
     * Creates a connection whose reader keeps its thread for the connection's whole life.
     *
     * @param config limits and settings
     * @param in the socket's input (after any TLS); read only by {@link #serve()}
     * @param out the socket's output; written under the writer lock
     * @param closer closes the underlying socket (any thread, idempotent)
     * @param handler serves each request stream on its own virtual thread
     */
    public Http2Connection(Http2Config config, InputStream in, OutputStream out, Runnable closer,
            Http2StreamHandler handler) {
        this(config, in, out, closer, handler, null);
    }

    /**
     * Creates a connection whose reader may give up its thread while no stream is open.
     *
     * @param config limits and settings
     * @param in the socket's input (after any TLS); read only by {@link #serve()}
     * @param out the socket's output; written under the writer lock
     * @param closer closes the underlying socket (any thread, idempotent)
     * @param handler serves each request stream on its own virtual thread
     * @param parking asked at each wait for a frame while no stream is open whether to give up the
     *     thread ({@link #serve()} then returns, and the resume it was given goes on); null to keep it
     */
    public Http2Connection(Http2Config config, InputStream in, OutputStream out, Runnable closer,
            Http2StreamHandler handler, dev.ladle.server.internal.IdleParking parking) {
        this.config = config;
        this.parking = parking;
        long writeTimeoutNanos = config.writeTimeout().toNanos();
        this.reader = new FrameReader(in, config.maxFrameSize());
        this.writer = new FrameWriter(out, closer, writeTimeoutNanos);
        this.lingeringClose = new LingeringClose(closer, writer);
        this.registry = new StreamRegistry(lock, config.maxConcurrentStreams(), lingeringClose);
        this.flow = new FlowControl(lock, registry, writer, writeTimeoutNanos, config.connectionWindowSize());
        this.resets = new StreamResets(lock, writer, registry, flow, config.maxConcurrentStreams());
        this.shutdown = new ConnectionShutdown(lock, writer, registry, flow, resets, lingeringClose);
        this.settings = new SettingsExchange(config, reader, writer, flow);
        this.runner = new StreamHandlerRunner(lock, writer, registry, flow, lingeringClose, handler,
                config.maxConcurrentStreams());
        this.headerBlocks = new HeaderBlockHandler(this, config, lock, reader, writer, registry, flow, resets, runner);
        this.dispatcher = new FrameDispatcher(reader, writer, new DataFrameHandler(lock, reader, registry, flow),
                headerBlocks, settings, resets, flow);
    }

    /**
     * Runs on the calling (virtual) thread until the connection ends: sends our SETTINGS at once, reads
     * and checks the client preface (a mismatch gets GOAWAY PROTOCOL_ERROR and a close), then reads
     * frames. Never throws for peer misbehaviour; returns when the connection is over and every stream
     * was told (their I/O fails, their reset listeners ran), or when the reader parked (then the
     * {@code IdleParking} was given the way to go on).
     */
    public void serve() throws IOException {
        writer.watch();
        read(true);
    }

    /** Reads frames on the calling thread until the connection is over or the reader parks again. */
    private void read(boolean first) throws IOException {
        writer.setReaderThread(Thread.currentThread());
        boolean parked = false;
        try {
            if (first) {
                settings.sendPreface();
                if (!reader.readPreface()) {
                    throw new ConnectionException(PROTOCOL_ERROR, "invalid connection preface");
                }
            }
            parked = readFrames();
        } catch (ConnectionException e) {
            shutdown.connectionError(e.code(), e.getMessage());
            lingeringClose.closeSoon();
            reader.discardInput(LingeringClose.LINGER_BYTES);
        } catch (IOException e) {
            // the peer closed, or we closed the socket (goAway, abort, the write watchdog)
            LOG.log(DEBUG, "HTTP/2 connection ended: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(WARNING, "HTTP/2 connection failed", e);
            shutdown.connectionError(ErrorCode.INTERNAL_ERROR, "internal error");
        } finally {
            if (!parked) {
                shutdown.end();
                runner.retireIdleWorkers(true);
            }
        }
    }

    /**
     * Reads and dispatches frames; between frames with nothing buffered, waits through {@link #parking},
     * which parks the reader once no stream is open.
     *
     * @return true when the reader parked (its buffers and the idle stream threads are let go); false
     *     at the end of the input
     */
    private boolean readFrames() throws IOException, ConnectionException {
        while (true) {
            if (parking != null && reader.isEmpty() && parking.parkIfIdle(reader::readOnce, this::mayPark, () -> read(false))) {
                reader.releaseBuffers();
                headerBlocks.releaseIdle();
                writer.releaseIdleBuffer();
                writer.setReaderThread(null); // a parked connection holds no thread, not even a finished one
                runner.retireIdleWorkers(false);
                return true;
            }
            if (!reader.next()) {
                return false;
            }
            try {
                dispatcher.dispatch();
            } catch (StreamException e) {
                resets.streamError(e);
            }
        }
    }

    /** True when no stream is open, no header block is half read and the connection is not ending. */
    private boolean mayPark() {
        lock.lock();
        try {
            return registry.isEmpty() && !registry.goingAway() && !registry.ended() && !headerBlocks.inProgress();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Graceful shutdown from any thread: GOAWAY with the last stream id processed and NO_ERROR; streams
     * in flight finish, later streams are ignored, and the connection closes once the streams are done.
     */
    public void goAway() {
        shutdown.goAway();
    }

    /**
     * Waits, after {@link #serve()} returned, until the handler of every stream it started has returned;
     * their I/O fails by then, so only a handler busy with something else keeps this waiting (see
     * {@link #interruptHandlers()}).
     */
    public void awaitHandlers() {
        runner.awaitHandlers();
    }

    /** Closes at once from any thread; streams in flight see their I/O fail and their reset listeners run. */
    public void abort() {
        lingeringClose.closeNow();
    }

    /**
     * Interrupts the threads running this connection's handlers, so that one blocked in an
     * interruptible wait ends; for a server that gave up waiting for them (after {@link #abort()}).
     */
    public void interruptHandlers() {
        runner.interruptHandlers();
    }

    /**
     * For a watchdog, about once a second: when no stream has been open for longer than
     * {@code idleTimeoutNanos}, sends GOAWAY NO_ERROR and closes.
     */
    public void checkIdle(long nowNanos, long idleTimeoutNanos) {
        if (shutdown.checkIdle(nowNanos, idleTimeoutNanos)) {
            // idle a while: thousands of such connections should cost little memory
            writer.releaseIdleBuffer();
            reader.dropParked();
            runner.retireIdleWorkers(false);
        }
    }

    /**
     * Called by a watchdog about once a second: a header block left unfinished (HEADERS without
     * END_HEADERS, then no CONTINUATION) for longer than {@code headerTimeoutNanos} is HTTP/2's
     * slowloris; nothing can be answered in the middle of a block, so the connection ends with GOAWAY.
     */
    public void checkHeaderTimeout(long nowNanos, long headerTimeoutNanos) {
        if (headerBlocks.headerBlockOverdue(nowNanos, headerTimeoutNanos)) {
            shutdown.connectionError(ENHANCE_YOUR_CALM, "header block not completed in time");
            lingeringClose.closeSoon();
        }
    }

    /** The streams whose handler is still running. */
    public int openStreams() {
        lock.lock();
        try {
            return registry.size();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- what a stream asks of its connection

    /** Records {@code n} request body bytes as read; returns the connection WINDOW_UPDATE now due. Lock held. */
    int consumeConnectionWindow(int n) {
        return flow.consumeOnConnection(n);
    }

    /** Sends WINDOW_UPDATEs for consumed request data (either increment may be 0). */
    void sendWindowUpdates(Http2Stream s, int streamIncrement, int connectionIncrement) throws IOException {
        flow.sendWindowUpdates(s, streamIncrement, connectionIncrement);
    }

    /**
     * Waits for send credit on the stream and the connection; returns the bytes reserved (at most
     * {@code want}). Without credit within the write timeout the stream is reset with CANCEL.
     */
    int reserveSendWindow(Http2Stream s, int want) throws IOException {
        int n = flow.reserveSendWindow(s, want);
        if (n == 0) {
            resets.resetByHandler(s, ErrorCode.CANCEL);
            throw new SocketTimeoutException("no flow-control credit from the peer within " + config.writeTimeout());
        }
        return n;
    }

    /** Our END_STREAM is about to be written. */
    void localEnded(Http2Stream s) {
        registry.localEnded(s);
    }

    /** RST_STREAM from our side, asked for by the handler (or a write timeout). */
    void resetByHandler(Http2Stream s, ErrorCode code) {
        resets.resetByHandler(s, code);
    }
}
