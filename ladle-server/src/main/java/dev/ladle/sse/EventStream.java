package dev.ladle.sse;

import dev.ladle.http.Encoding;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.Subscription;
import dev.ladle.server.internal.LongResponseAccess;
import dev.ladle.websocket.internal.Listeners;
import dev.ladle.websocket.internal.WebSocketTimers;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@code text/event-stream} response that a browser's {@code EventSource} (or any client reading lines)
 * receives events on as they are sent.
 * <pre>{@code
 * server.addHandler("/clock", (srv, msg, path, query) -> {
 *     EventStream events = EventStream.open(msg);
 *     Thread.ofVirtual().start(() -> {
 *         try {
 *             for (long n = 1; ; n++) {
 *                 events.send(Event.of("tick", Instant.now().toString()).withId(Long.toString(n)));
 *                 Thread.sleep(1000);
 *             }
 *         } catch (IOException | InterruptedException e) {
 *             // the client left (or the stream was closed): stop
 *         }
 *     });
 * });
 * }</pre>
 *
 * <p><b>The model.</b> {@link #open} answers the request with 200, {@code Content-Type:
 * text/event-stream; charset=utf-8}, {@code Cache-Control: no-store} and no length: a chunked body on
 * HTTP/1.1, DATA frames on HTTP/2. The handler returns at once; the response head goes out then, and
 * the stream stays open until {@link #close()} or until the client leaves. Each send appends the event
 * to the response body and wakes the connection's thread, which writes it and flushes it: a send does
 * no I/O and does not wait for the client to read. So events are sent from other threads: a thread per
 * client that loops (as above), or a broadcaster that keeps the open streams in a set and sends each
 * event to all of them. Events a handler sends before it returns are queued and go out right after the
 * head; a handler that loops sending instead of returning sends nothing (nothing is written until it
 * returns) and is eventually refused by the queue limit below.
 *
 * <p><b>A client that leaves</b> is noticed by the server while the stream waits for events (HTTP/1.1:
 * the connection's end of file; HTTP/2: the stream's reset) or when a write fails. The stream then
 * closes: {@link #isOpen()} turns false, {@link #onClose} listeners run, and later sends throw
 * {@link IOException}. The automatic {@linkplain #setKeepAlive keep-alive} comment makes a write happen
 * even when the application sends nothing, so a client that vanished without closing its connection is
 * noticed too, and proxies between do not time the stream out as idle.
 *
 * <p><b>A client that does not keep up</b> is dropped rather than let memory grow: when the events
 * queued for it (appended, not yet written) would pass {@link #getMaxQueuedBytes()}, the send throws
 * {@link IOException} and the stream closes. What was queued still goes out; a client that takes
 * nothing at all is cut off by the server's {@linkplain dev.ladle.server.Limits#getWriteTimeout() write
 * timeout}.
 *
 * <p><b>Shutting down.</b> When the server starts draining ({@code Server.startDraining()} or
 * {@code drain}), disconnects or closes, its open streams close as by {@link #close()}: what is queued
 * goes out, the response ends, {@link #onClose} listeners run and later sends throw {@link IOException}.
 * A browser's {@code EventSource} then reconnects after its retry time, elsewhere behind a balancer. A
 * stream opened while the server drains is closed right after its head.
 *
 * <p>Thread-safe: every method may be called from any thread; events sent from several threads go out
 * whole, in the order the sends were made. {@link #onClose} listeners run once, on the thread that
 * closed the stream ({@link #close()}, a send that overflowed) or on the connection's thread (the client
 * left, the server closed the connection); they must not block.
 */
public final class EventStream implements AutoCloseable {
    /** The {@code Content-Type} of the response. */
    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    /** The default of {@link #getKeepAlive()}: below the minute after which proxies commonly cut idle responses. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** The default of {@link #getMaxQueuedBytes()}. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    /** Why sends fail once the server ended the stream. */
    private static final String SERVER_CLOSING = "the server is shutting down";

    private final ServerMessage msg;
    private final MessageBody body;
    private final String lastEventId;
    /** Run once by {@link #closeWith}: those added while {@link #open} was true (later ones run as they are added). */
    private final Listeners<Runnable> closeListeners = new Listeners<>();
    /** Guards the fields below; never held across I/O or a listener. */
    private final ReentrantLock lock = new ReentrantLock();
    private boolean open = true;
    private String closedBecause;
    /** Body bytes the connection wrote so far; {@code body.length() - written} is what is queued. */
    private long written;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    /** {@link System#nanoTime()} of the last append: the keep-alive counts its quiet time from it. */
    private long lastAppendNanos;
    private Duration keepAlive = Duration.ZERO;
    /** {@link #keepAlive} in nanoseconds, saturated. */
    private long keepAliveNanos;
    /** Bumped by every keep-alive setting: a tick scheduled for an older one does nothing. */
    private int keepAliveSetting;
    /** The keep-alive's latest tick on the shared timer (cancelled once the stream closed), or null. */
    private Future<?> keepAliveTask;

    private EventStream(ServerMessage msg) {
        this.msg = msg;
        this.lastEventId = msg.getRequestHeaders().getOne("Last-Event-ID");
        msg.setStatus(Status.OK);
        MessageHeaders headers = msg.getResponseHeaders();
        headers.replace("Content-Type", CONTENT_TYPE);
        headers.replace("Cache-Control", "no-store");
        headers.setEncoding(Encoding.CHUNKED);
        this.body = msg.getResponseBody();
        // each event is dropped once written: a stream open for days holds only what is queued
        body.setAccumulate(false);
        this.lastAppendNanos = System.nanoTime();
    }

    /**
     * Answers {@code msg} with an event stream and returns it, with the keep-alive comment every
     * {@link #DEFAULT_KEEP_ALIVE}. Call it once, from the handler, before the handler returns; a HEAD
     * request gets the head only, and its stream is closed once that went out.
     *
     * @throws NullPointerException when {@code msg} is null
     */
    public static EventStream open(ServerMessage msg) {
        Objects.requireNonNull(msg, "msg");
        EventStream stream = new EventStream(msg);
        msg.onWroteBodyData(stream::wrote);
        // Finished ends an exchange that is cut (the client left, a write failed); Disconnected covers an
        // exchange that ended without it
        msg.onFinished(stream::ended);
        msg.onDisconnected(stream::ended);
        stream.setKeepAlive(DEFAULT_KEEP_ALIVE);
        // a draining or closing server ends the stream (the client reconnects, elsewhere behind a
        // balancer) rather than wait for it until its shutdown timeout
        Subscription drain = LongResponseAccess.onServerDrain(msg, () -> stream.closeWith(SERVER_CLOSING, true));
        stream.onClose(drain::close);
        return stream;
    }

    /**
     * Returns the request's {@code Last-Event-ID}: the {@code id} of the last event the client received
     * before it reconnected (an {@code EventSource} sends it by itself), or null on a first connection.
     * The client's word, not checked: treat it as untrusted input.
     */
    public String getLastEventId() {
        return lastEventId;
    }

    /**
     * Sends an event of the default type ({@code message}) with {@code data}, which may span lines.
     *
     * @throws IOException when the stream is closed: the client left, {@link #close()} was called, or the
     *     client did not keep up (the message says which)
     * @throws NullPointerException when {@code data} is null
     */
    public void send(String data) throws IOException {
        send(Event.of(data));
    }

    /**
     * Sends an event of type {@code type} with {@code data}.
     *
     * @throws IOException when the stream is closed (see {@link #send(String)})
     * @throws IllegalArgumentException when {@code type} contains CR or LF
     * @throws NullPointerException when {@code type} or {@code data} is null
     */
    public void send(String type, String data) throws IOException {
        send(Event.of(type, data));
    }

    /**
     * Sends {@code event} with all its fields.
     *
     * @throws IOException when the stream is closed (see {@link #send(String)})
     * @throws NullPointerException when {@code event} is null
     */
    public void send(Event event) throws IOException {
        append(EventFormat.encode(Objects.requireNonNull(event, "event")));
    }

    /**
     * Sends a comment line, which the browser ignores: {@code ": text"}.
     *
     * @throws IOException when the stream is closed (see {@link #send(String)})
     * @throws IllegalArgumentException when {@code text} contains CR or LF
     * @throws NullPointerException when {@code text} is null
     */
    public void comment(String text) throws IOException {
        append(EventFormat.comment(Objects.requireNonNull(text, "text")));
    }

    /**
     * Sets how long the stream may stay quiet before a keep-alive comment ({@code ":"}) is sent:
     * {@link Duration#ZERO} sends none. The comment keeps proxies from cutting the stream as idle and
     * makes a write happen, so that a client that vanished is noticed without the application sending.
     * It is timed by the server's shared timer, and no longer once the stream closed.
     *
     * @throws IllegalArgumentException when {@code interval} is negative
     * @throws NullPointerException when {@code interval} is null
     */
    public void setKeepAlive(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("keep-alive interval must not be negative: " + interval);
        }
        lock.lock();
        try {
            keepAlive = interval;
            keepAliveNanos = saturatedNanos(interval);
            keepAliveSetting++;
            cancelKeepAlive();
            if (open && keepAliveNanos > 0) {
                scheduleKeepAlive(keepAliveNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the keep-alive interval; {@link Duration#ZERO} when none is sent. */
    public Duration getKeepAlive() {
        lock.lock();
        try {
            return keepAlive;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets how many bytes may wait for a slow client before the stream is closed. A single event larger
     * than the limit still goes out when nothing else waits.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public void setMaxQueuedBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max queued bytes must be positive: " + bytes);
        }
        lock.lock();
        try {
            maxQueuedBytes = bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the queue limit ({@link #DEFAULT_MAX_QUEUED_BYTES} unless set). */
    public long getMaxQueuedBytes() {
        lock.lock();
        try {
            return maxQueuedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the bytes sent but not yet written to the client. */
    public long getQueuedBytes() {
        lock.lock();
        try {
            return body.length() - written;
        } finally {
            lock.unlock();
        }
    }

    /** Returns true until the stream closes (see the class comment for how). */
    public boolean isOpen() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a listener that runs once when the stream closes, for whatever reason: a broadcaster removes
     * the stream from its set here. Runs at once, on this thread, when the stream is already closed.
     *
     * @return the subscription, whose {@code close()} removes the listener
     * @throws NullPointerException when {@code listener} is null
     */
    public Subscription onClose(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (open) {
                // closeWith turns open false under this lock before it runs the list: this one is in it
                return closeListeners.add(listener);
            }
        } finally {
            lock.unlock();
        }
        runCloseListener(listener);
        return () -> { };
    }

    /**
     * Ends the stream: events already sent still go out, then the response ends (the last chunk, or
     * END_STREAM) and an {@code EventSource} reconnects after its retry time. Harmless when closed.
     */
    @Override
    public void close() {
        closeWith("the event stream was closed", true);
    }

    /** The keep-alive's latest tick, or null: for tests that check it is cancelled. */
    Future<?> keepAliveTask() {
        lock.lock();
        try {
            return keepAliveTask;
        } finally {
            lock.unlock();
        }
    }

    // ---- internals --------------------------------------------------------------------------------

    private void append(byte[] bytes) throws IOException {
        String overflow;
        lock.lock();
        try {
            if (!open) {
                throw new IOException(closedBecause);
            }
            long queued = body.length() - written;
            if (queued > 0 && queued + bytes.length > maxQueuedBytes) {
                overflow = "the client is not keeping up: " + queued + " bytes of events were still waiting for it";
            } else {
                body.appendOwned(bytes);
                lastAppendNanos = System.nanoTime();
                overflow = null;
            }
        } finally {
            lock.unlock();
        }
        if (overflow != null) {
            closeWith(overflow, true);
            throw new IOException(overflow);
        }
        msg.unpause();
    }

    /** WroteBodyData, on the connection's thread: those bytes are no longer queued. */
    private void wrote(int bytes) {
        lock.lock();
        try {
            written += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Finished or Disconnected, on the connection's thread: the exchange is over, so is the stream. */
    private void ended() {
        closeWith("the client left, or the server ended the response", false);
    }

    /**
     * Closes the stream once: later sends fail with {@code reason}, the keep-alive tick is cancelled and the
     * close listeners run.
     *
     * @param endBody true to end the response after what is queued (false: the exchange is over already)
     */
    private void closeWith(String reason, boolean endBody) {
        lock.lock();
        try {
            if (!open) {
                return;
            }
            open = false;
            closedBecause = reason;
            if (endBody) {
                body.complete();
            }
            cancelKeepAlive();
        } finally {
            lock.unlock();
        }
        if (endBody) {
            msg.unpause();
        }
        closeListeners.forEach(EventStream::runCloseListener);
    }

    private static void runCloseListener(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // one failing listener must not keep the others (or the connection's thread) from going on
            LOG.log(System.Logger.Level.WARNING, "event stream close listener failed", e);
        }
    }

    /** Schedules the keep-alive's next tick of the current setting in {@code nanos}; the lock is held. */
    private void scheduleKeepAlive(long nanos) {
        int setting = keepAliveSetting;
        keepAliveTask = WebSocketTimers.schedule(Duration.ofNanos(nanos), () -> keepAliveTick(setting));
    }

    /** Cancels the pending tick, which then leaves the shared timer's queue; the lock is held. */
    private void cancelKeepAlive() {
        if (keepAliveTask != null) {
            keepAliveTask.cancel(false);
        }
    }

    /**
     * The keep-alive's tick: a comment when nothing was appended for the interval, unless events still
     * wait (they make the write a comment would); then the next tick, when the interval may have passed.
     */
    private void keepAliveTick(int setting) {
        lock.lock();
        try {
            if (!open || setting != keepAliveSetting) {
                return; // a tick already under way when the stream closed or the setting changed
            }
            long quiet = System.nanoTime() - lastAppendNanos;
            if (quiet < keepAliveNanos) {
                scheduleKeepAlive(keepAliveNanos - quiet);
                return;
            }
            if (body.length() == written) {
                body.appendOwned(EventFormat.comment(""));
            }
            lastAppendNanos = System.nanoTime();
            scheduleKeepAlive(keepAliveNanos);
        } finally {
            lock.unlock();
        }
        msg.unpause();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
