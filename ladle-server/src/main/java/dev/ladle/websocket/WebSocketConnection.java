package dev.ladle.websocket;

import dev.ladle.server.Subscription;
import dev.ladle.server.internal.IdleParking;
import dev.ladle.server.internal.jfr.WebSocketMessageEvent;
import dev.ladle.websocket.internal.ClosePayload;
import dev.ladle.websocket.internal.FrameHeader;
import dev.ladle.websocket.internal.FrameReader;
import dev.ladle.websocket.internal.FrameWriter;
import dev.ladle.websocket.internal.Listeners;
import dev.ladle.websocket.internal.MessageAssembler;
import dev.ladle.websocket.internal.Opcode;
import dev.ladle.websocket.internal.Utf8Validator;
import dev.ladle.websocket.internal.WebSocketTimers;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An open WebSocket connection (RFC 6455), libsoup's {@code SoupWebsocketConnection}: whole text and
 * binary messages, pings and pongs, the closing handshake, keepalive pings and a limit on incoming
 * message size.
 *
 * <p><b>Reading.</b> One thread, the reader, runs {@link #run()}: it reads frames, answers pings and
 * runs every event listener, so listeners of one connection never run concurrently. A server runs it
 * on the connection's virtual thread after the {@code WebSocketCallback} returned; a client that
 * constructed a connection calls {@link #run()} or {@link #start()} itself.
 *
 * <p><b>Sending</b> is thread-safe: each message is written whole (its frames never interleave with
 * another message's) in the order the calls took the connection's send lock, and the call returns once
 * the message was handed to the socket. A slow peer therefore blocks the sender: nothing is queued
 * beyond the socket's own buffers. Sending is only possible while the state is
 * {@link WebSocketState#OPEN}; an I/O failure while sending closes the connection and is reported to
 * {@link #onError} listeners. On a server, a peer that takes nothing for longer than
 * {@link dev.ladle.server.Limits#getWriteTimeout()} is cut off that way: the blocked call returns, the
 * error is reported, the connection closes, and later sends throw {@link IllegalStateException}.
 *
 * <p><b>Protocol violations</b> by the peer close the connection with the matching code:
 * {@link CloseCode#PROTOCOL_ERROR} for framing errors, {@link CloseCode#BAD_DATA} for text or close
 * reasons that are not UTF-8 and {@link CloseCode#TOO_BIG} for messages over
 * {@link #getMaxIncomingPayloadSize()}; the error is reported to {@link #onError} listeners first.
 *
 * <p><b>Closing.</b> After sending a close frame the connection waits for the peer's, at most
 * {@link #getCloseTimeout()}, ignoring data that still arrives; then the transport is closed. A server
 * closes the transport as soon as the handshake completes, a client waits for the server to do so.
 */
public class WebSocketConnection {
    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());
    /** libsoup's default limit on an incoming message: 128 KiB. */
    private static final long DEFAULT_MAX_INCOMING_PAYLOAD_SIZE = 128 * 1024;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final FrameReader reader;
    /**
     * The server's way to let this connection wait without a thread between frames: found on the input
     * stream the server passes; null for a connection that keeps its reader thread (any other stream).
     */
    private final IdleParking parking;
    private final FrameWriter writer;
    private final Closeable closer;
    private final URI uri;
    private final ConnectionType type;
    private final String origin;
    private final String protocol;
    private final List<WebSocketExtension> extensions;
    private final MessageAssembler assembler = new MessageAssembler();

    /** Serialises everything written; held while writing, never around a read. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Guarded by sendLock; volatile for the reader's unlocked checks. */
    private volatile boolean closeSent;
    private volatile WebSocketState state = WebSocketState.OPEN;
    private volatile boolean closeReceived;
    private volatile int closeCode;
    private volatile String closeData;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    private final AtomicBoolean closingFired = new AtomicBoolean();
    private volatile Thread readerThread;
    /** Events raised on other threads, run by the reader when it next wakes. */
    private final Queue<Runnable> pendingEvents = new ConcurrentLinkedQueue<>();
    private volatile IOException sendFailure;

    private volatile long maxIncomingPayloadSize = DEFAULT_MAX_INCOMING_PAYLOAD_SIZE;
    private volatile int maxOutgoingFrameSize;
    private volatile Duration closeTimeout = Duration.ofSeconds(5);
    private volatile Duration keepaliveInterval = Duration.ZERO;
    private volatile Duration keepalivePongTimeout = Duration.ZERO;
    private final ReentrantLock timerLock = new ReentrantLock();
    private Future<?> keepaliveTask;
    private Future<?> closeTimeoutTask;
    private final AtomicLong pingSequence = new AtomicLong();
    /** The keepalive ping awaiting its pong, 0 for none. */
    private volatile long outstandingPing;

    private final Listeners<BiConsumer<DataType, byte[]>> messageListeners = new Listeners<>();
    private final Listeners<Consumer<byte[]>> pongListeners = new Listeners<>();
    private final Listeners<Consumer<Throwable>> errorListeners = new Listeners<>();
    private final Listeners<Runnable> closingListeners = new Listeners<>();
    private final Listeners<Runnable> closedListeners = new Listeners<>();

    /**
     * Creates an open connection over streams that completed the opening handshake. Nothing is read
     * until {@link #run()} or {@link #start()}.
     *
     * @param in the stream to read frames from; it may already hold bytes sent right after the handshake
     * @param out the stream to write frames to
     * @param closer closes the underlying transport (both streams); it may be called from any thread
     *     and should make a blocked read fail
     * @param uri the URI of the connection
     * @param type which end this is: a {@link ConnectionType#CLIENT} masks its frames and expects unmasked ones
     * @param origin the {@code Origin} of the handshake, or null
     * @param protocol the negotiated sub-protocol, or null
     * @param extensions the negotiated extensions, configured, in the order of the handshake response;
     *     null for none
     */
    public WebSocketConnection(InputStream in, OutputStream out, Closeable closer, URI uri, ConnectionType type,
                               String origin, String protocol, List<WebSocketExtension> extensions) {
        this.reader = new FrameReader(Objects.requireNonNull(in, "in"));
        this.parking = in instanceof IdleParking p ? p : null;
        this.type = Objects.requireNonNull(type, "type");
        this.writer = new FrameWriter(Objects.requireNonNull(out, "out"), type == ConnectionType.CLIENT);
        this.closer = Objects.requireNonNull(closer, "closer");
        this.uri = uri;
        this.origin = origin;
        this.protocol = protocol;
        this.extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    // ---- handshake facts ------------------------------------------------------------------------

    /** Returns the URI of the connection. */
    public URI getUri() {
        return uri;
    }

    /** Returns the {@code Origin} of the handshake, or null. */
    public String getOrigin() {
        return origin;
    }

    /** Returns the negotiated sub-protocol, or null when none was. */
    public String getProtocol() {
        return protocol;
    }

    /** Returns the negotiated extensions (unmodifiable). */
    public List<WebSocketExtension> getExtensions() {
        return extensions;
    }

    /** Returns which end of the connection this is. */
    public ConnectionType getConnectionType() {
        return type;
    }

    /** Returns the current state. */
    public WebSocketState getState() {
        return state;
    }

    /**
     * Returns the close code the peer sent: 0 while none was received, {@link CloseCode#NO_STATUS}
     * for a close frame without a code, {@link CloseCode#ABNORMAL} once the connection ended without
     * the peer's close frame.
     */
    public int getCloseCode() {
        return closeCode;
    }

    /** Returns the close reason the peer sent, or null while none was received. */
    public String getCloseData() {
        return closeData;
    }

    // ---- settings --------------------------------------------------------------------------------

    /**
     * Returns the largest incoming message accepted, in bytes, after reassembly and decompression; 0
     * means no limit. Default 128 KiB, as libsoup. A larger message closes the connection with
     * {@link CloseCode#TOO_BIG}.
     */
    public long getMaxIncomingPayloadSize() {
        return maxIncomingPayloadSize;
    }

    /** Sets {@link #getMaxIncomingPayloadSize()}; 0 for no limit. */
    public void setMaxIncomingPayloadSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxIncomingPayloadSize must be >= 0: " + bytes);
        }
        this.maxIncomingPayloadSize = bytes;
    }

    /** Returns the largest payload of an outgoing frame; longer messages are fragmented. 0 (default): never fragment. */
    public int getMaxOutgoingFrameSize() {
        return maxOutgoingFrameSize;
    }

    /** Sets {@link #getMaxOutgoingFrameSize()}; 0 sends every message as one frame. */
    public void setMaxOutgoingFrameSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxOutgoingFrameSize must be >= 0: " + bytes);
        }
        this.maxOutgoingFrameSize = bytes;
    }

    /** Returns how long to wait for the peer's close frame (or, on a client, the end of the stream) after ours; default 5 s. */
    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    /** Sets {@link #getCloseTimeout()}. */
    public void setCloseTimeout(Duration timeout) {
        this.closeTimeout = positiveOrZero(timeout, "closeTimeout");
    }

    /** Returns the interval between keepalive pings; zero (default) sends none. */
    public Duration getKeepaliveInterval() {
        return keepaliveInterval;
    }

    /**
     * Sends a ping every {@code interval} while the connection is open, with the payload
     * {@code ladle-keepalive-<n>}; zero stops them.
     */
    public void setKeepaliveInterval(Duration interval) {
        Duration value = positiveOrZero(interval, "keepaliveInterval");
        timerLock.lock();
        try {
            keepaliveInterval = value;
            if (keepaliveTask != null) {
                keepaliveTask.cancel(false);
                keepaliveTask = null;
            }
            if (!value.isZero() && state == WebSocketState.OPEN) {
                keepaliveTask = WebSocketTimers.repeat(value, this::sendKeepalivePing);
            }
        } finally {
            timerLock.unlock();
        }
    }

    /**
     * Returns how long a keepalive ping may go unanswered before the connection is closed with
     * {@link CloseCode#POLICY_VIOLATION}; zero (default) waits forever.
     */
    public Duration getKeepalivePongTimeout() {
        return keepalivePongTimeout;
    }

    /** Sets {@link #getKeepalivePongTimeout()}. */
    public void setKeepalivePongTimeout(Duration timeout) {
        this.keepalivePongTimeout = positiveOrZero(timeout, "keepalivePongTimeout");
    }

    private static Duration positiveOrZero(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive: " + d);
        }
        return d;
    }

    // ---- events ----------------------------------------------------------------------------------

    /** A whole message arrived; the array belongs to the listener. */
    public Subscription onMessage(BiConsumer<DataType, byte[]> listener) {
        return messageListeners.add(listener);
    }

    /**
     * A whole text message arrived, decoded from UTF-8 (which the connection has checked: invalid text
     * closes it with {@link CloseCode#BAD_DATA} and never reaches a listener); binary messages are not
     * passed on. Runs on the reader thread, as {@link #onMessage} listeners do and in order with them.
     */
    public Subscription onText(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        return onMessage((dataType, data) -> {
            if (dataType == DataType.TEXT) {
                listener.accept(new String(data, StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * A whole binary message arrived; the array belongs to the listener. Text messages are not passed
     * on. Runs on the reader thread, as {@link #onMessage} listeners do and in order with them.
     */
    public Subscription onBinary(Consumer<byte[]> listener) {
        Objects.requireNonNull(listener, "listener");
        return onMessage((dataType, data) -> {
            if (dataType == DataType.BINARY) {
                listener.accept(data);
            }
        });
    }

    /** A pong arrived, with its payload. */
    public Subscription onPong(Consumer<byte[]> listener) {
        return pongListeners.add(listener);
    }

    /** A protocol violation, an over-large message or an I/O failure; the connection is closing or closed. */
    public Subscription onError(Consumer<Throwable> listener) {
        return errorListeners.add(listener);
    }

    /** The closing handshake started (a close frame was sent or received); runs once. */
    public Subscription onClosing(Runnable listener) {
        return closingListeners.add(listener);
    }

    /** The connection closed; the last event, runs once. */
    public Subscription onClosed(Runnable listener) {
        return closedListeners.add(listener);
    }

    // ---- sending ---------------------------------------------------------------------------------

    /**
     * Sends a text message.
     *
     * @throws IllegalStateException unless the state is {@link WebSocketState#OPEN}
     */
    public void sendText(String text) {
        sendMessage(DataType.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a binary message; the array is not changed.
     *
     * @throws IllegalStateException unless the state is {@link WebSocketState#OPEN}
     */
    public void sendBinary(byte[] data) {
        sendMessage(DataType.BINARY, data);
    }

    /**
     * Sends a message of the given type; text must be UTF-8. Returns once the message was written.
     *
     * @throws IllegalStateException unless the state is {@link WebSocketState#OPEN}, and once the
     *     transport is closed (a send failed, or the server cut the connection) even before the state
     *     shows it
     */
    public void sendMessage(DataType dataType, byte[] data) {
        Objects.requireNonNull(dataType, "type");
        Objects.requireNonNull(data, "data");
        sendLock.lock();
        try {
            if (closeSent || state != WebSocketState.OPEN) {
                throw new IllegalStateException("cannot send: the connection is " + state);
            }
            if (transportClosed.get()) {
                // a send failed or the transport was cut: the reader reports it and closes; no more writes
                throw new IllegalStateException("cannot send: the connection is closed");
            }
            WebSocketMessageEvent event = WebSocketMessageEvent.beginIfEnabled();
            WebSocketExtension.Message message = new WebSocketExtension.Message(0, data);
            for (WebSocketExtension extension : extensions) {
                message = extension.processOutgoingMessage(dataType, message);
            }
            writer.writeMessage(dataType == DataType.TEXT ? Opcode.TEXT : Opcode.BINARY, message.reservedBits(),
                    message.payload(), maxOutgoingFrameSize);
            if (event != null) {
                record(event, true, dataType, data.length);
            }
        } catch (IOException e) {
            sendFailed(e);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a ping with up to 125 bytes of payload; the peer's pong goes to {@link #onPong} listeners.
     * Ignored once the closing handshake started.
     */
    public void sendPing(byte[] payload) {
        if (payload.length > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("a ping payload is at most 125 bytes: " + payload.length);
        }
        sendControl(Opcode.PING, payload);
    }

    /** Writes a control frame unless our close frame went out already; false when it was not written. */
    private boolean sendControl(int opcode, byte[] payload) {
        sendLock.lock();
        try {
            if (closeSent || transportClosed.get()) {
                return false;
            }
            writer.writeControl(opcode, payload);
            return true;
        } catch (IOException e) {
            sendFailed(e);
            return false;
        } finally {
            sendLock.unlock();
        }
    }

    private void sendFailed(IOException e) {
        if (!transportClosed.get()) {
            sendFailure = e;
        }
        // Waking the reader with a closed transport reports the failure and ends the connection.
        closeTransport();
    }

    // ---- closing ---------------------------------------------------------------------------------

    /**
     * Starts the closing handshake: sends a close frame and waits (at most {@link #getCloseTimeout()})
     * for the peer's. Does nothing when a close frame was already sent.
     *
     * @param code the close code ({@link CloseCode#NO_STATUS} sends a close frame without a code)
     * @param reason the reason, or null; cut at a character boundary to fit the frame (123 bytes)
     * @throws IllegalArgumentException when {@code code} may not be sent (see {@link CloseCode#isValid})
     */
    public void close(int code, String reason) {
        if (code != CloseCode.NO_STATUS && !CloseCode.isValid(code)) {
            throw new IllegalArgumentException("invalid close code " + code);
        }
        sendClose(code, reason);
    }

    /** Sends our close frame once; returns false when it had been sent before. */
    private boolean sendClose(int code, String reason) {
        sendLock.lock();
        try {
            if (closeSent) {
                return false;
            }
            closeSent = true;
            if (state == WebSocketState.OPEN) {
                state = WebSocketState.CLOSING;
            }
            writer.writeControl(Opcode.CLOSE, new ClosePayload(code, reason).encode());
        } catch (IOException e) {
            sendFailed(e);
        } finally {
            sendLock.unlock();
        }
        stopKeepalive();
        // A server is done once both close frames passed; a client still waits for the server to
        // close the TCP connection (RFC 6455 section 7.1.1), but not forever.
        if (!closeReceived || type == ConnectionType.CLIENT) {
            scheduleCloseTimeout();
        }
        onReaderThread(this::fireClosing);
        return true;
    }

    /** Closes the transport when the peer is too slow to finish the handshake. */
    private void scheduleCloseTimeout() {
        timerLock.lock();
        try {
            if (closeTimeoutTask == null && state != WebSocketState.CLOSED) {
                closeTimeoutTask = WebSocketTimers.schedule(closeTimeout, this::closeTransport);
            }
        } finally {
            timerLock.unlock();
        }
    }

    private void stopKeepalive() {
        timerLock.lock();
        try {
            if (keepaliveTask != null) {
                keepaliveTask.cancel(false);
                keepaliveTask = null;
            }
        } finally {
            timerLock.unlock();
        }
    }

    private void cancelTimers() {
        stopKeepalive();
        timerLock.lock();
        try {
            if (closeTimeoutTask != null) {
                closeTimeoutTask.cancel(false);
            }
        } finally {
            timerLock.unlock();
        }
    }

    private void closeTransport() {
        if (transportClosed.compareAndSet(false, true)) {
            try {
                closer.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the WebSocket transport failed", e);
            }
        }
    }

    /** Fails the connection: reports {@code error}, then closes with its code (a no-op when closing already). */
    private void fail(WebSocketException error) {
        onReaderThread(() -> fireError(error));
        sendClose(error.getCloseCode(), error.getMessage());
    }

    // ---- keepalive -------------------------------------------------------------------------------

    private void sendKeepalivePing() {
        if (state != WebSocketState.OPEN) {
            return;
        }
        long sequence = pingSequence.incrementAndGet();
        Duration timeout = keepalivePongTimeout;
        if (!timeout.isZero() && outstandingPing == 0) {
            outstandingPing = sequence;
            WebSocketTimers.schedule(timeout, () -> {
                if (outstandingPing == sequence && state == WebSocketState.OPEN) {
                    fail(new WebSocketException(CloseCode.POLICY_VIOLATION, "no pong within " + timeout));
                }
            });
        }
        sendControl(Opcode.PING, ("ladle-keepalive-" + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** Starts {@link #run()} on a new virtual thread and returns it. */
    public Thread start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the connection is already being read");
        }
        return Thread.ofVirtual().name("ladle-websocket-reader").start(this::read);
    }

    /**
     * Reads and dispatches frames on the calling thread until the connection is closed, then closes the
     * transport, runs the {@link #onClosed} listeners and returns. Call it once; a server does it for
     * its connections.
     *
     * @throws IllegalStateException when the connection is already being read
     */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the connection is already being read");
        }
        read();
    }

    private void read() {
        readerThread = Thread.currentThread();
        boolean parked = false;
        try {
            parked = readFrames();
        } catch (WebSocketException e) {
            // The framing itself is broken: no later frame can be trusted, so do not wait for a close.
            fail(e);
        } catch (IOException e) {
            if (!transportClosed.get() && !(closeSent && closeReceived)) {
                fireError(e);
            }
        } finally {
            if (!parked) {
                finish();
            }
        }
    }

    private void finish() {
        cancelTimers();
        closeTransport();
        if (!closeReceived) {
            closeCode = CloseCode.ABNORMAL;
        }
        sendLock.lock();
        try {
            state = WebSocketState.CLOSED;
            for (WebSocketExtension extension : extensions) {
                extension.close();
            }
        } finally {
            sendLock.unlock();
        }
        IOException failure = sendFailure;
        if (failure != null) {
            fireError(failure);
        }
        runPendingEvents();
        closedListeners.forEach(listener -> safely(listener, "onClosed"));
    }

    /**
     * Reads frames until the connection is over.
     *
     * @return true when the reader parked instead: a new thread goes on with {@link #read()} later
     */
    private boolean readFrames() throws IOException {
        while (true) {
            runPendingEvents();
            if (closeReceived && closeSent && type == ConnectionType.SERVER) {
                return false;
            }
            if (parking != null && mayPark() && reader.isEmpty()
                    && parking.parkIfIdle(reader::readOnce, this::mayPark, this::read)) {
                reader.releaseBuffer();
                readerThread = null; // a parked connection holds no thread, not even a finished one
                return true;
            }
            FrameHeader header = reader.readHeader();
            if (header == null) {
                return false;
            }
            if (closeSent) {
                readWhileClosing(header);
                continue;
            }
            WebSocketException violation = check(header);
            if (violation != null) {
                fail(violation);
                reader.skip(header.length());
                continue;
            }
            try {
                dispatch(header);
            } catch (WebSocketException e) {
                fail(e);
            }
        }
    }

    /**
     * True while the reader may park: the connection is open. (Events queued for the reader run when it
     * next wakes, parked or not: a frame, a write or a close wakes it.)
     */
    private boolean mayPark() {
        return state == WebSocketState.OPEN;
    }

    /** After our close frame only the peer's close matters; everything else is skipped unread. */
    private void readWhileClosing(FrameHeader header) throws IOException {
        if (header.opcode() != Opcode.CLOSE || closeReceived || header.length() > MAX_CONTROL_PAYLOAD) {
            reader.skip(header.length());
            return;
        }
        byte[] body = new byte[(int) header.length()];
        reader.readPayload(header, body, 0);
        closeReceived = true;
        try {
            ClosePayload close = ClosePayload.parse(body);
            closeCode = close.code();
            closeData = close.reason();
        } catch (WebSocketException e) {
            // Our close went out already: a malformed answer cannot change the outcome.
            closeCode = CloseCode.PROTOCOL_ERROR;
            closeData = "";
        }
    }

    /** Returns the protocol rule {@code header} breaks, or null; judged before its payload is read. */
    private WebSocketException check(FrameHeader header) {
        boolean server = type == ConnectionType.SERVER;
        int opcode = header.opcode();
        if (header.masked() != server) {
            return protocolError(server ? "client frame is not masked" : "server frame is masked");
        }
        if (!header.minimalLength()) {
            return protocolError("frame length is not minimally encoded");
        }
        if (!Opcode.isKnown(opcode)) {
            return protocolError("reserved opcode " + opcode);
        }
        if (Opcode.isControl(opcode)) {
            if (!header.fin()) {
                return protocolError("fragmented control frame");
            }
            if (header.length() > MAX_CONTROL_PAYLOAD) {
                return protocolError("control frame longer than 125 bytes");
            }
            if (header.reservedBits() != 0) {
                return protocolError("reserved bits set on a control frame");
            }
            return null;
        }
        if (opcode == Opcode.CONTINUATION && !assembler.inProgress()) {
            return protocolError("continuation frame without a message to continue");
        }
        if (opcode != Opcode.CONTINUATION && assembler.inProgress()) {
            return protocolError("new message before the previous one ended");
        }
        if (header.reservedBits() != 0 && (extensions.isEmpty() || opcode == Opcode.CONTINUATION)) {
            return protocolError(extensions.isEmpty() ? "reserved bits set without an extension"
                    : "reserved bits set on a continuation frame");
        }
        long limit = maxIncomingPayloadSize;
        long total = assembler.size() + header.length();
        if ((limit > 0 && total > limit) || total > Integer.MAX_VALUE - 8) {
            return new WebSocketException(CloseCode.TOO_BIG, "message of more than " + limit + " bytes");
        }
        return null;
    }

    private static WebSocketException protocolError(String message) {
        return new WebSocketException(CloseCode.PROTOCOL_ERROR, message);
    }

    private void dispatch(FrameHeader header) throws IOException {
        switch (header.opcode()) {
            case Opcode.PING -> sendControl(Opcode.PONG, readControlPayload(header));
            case Opcode.PONG -> {
                byte[] payload = readControlPayload(header);
                outstandingPing = 0;
                pongListeners.forEach(listener -> deliver(() -> listener.accept(payload), "onPong"));
            }
            case Opcode.CLOSE -> receiveClose(readControlPayload(header));
            default -> {
                MessageAssembler.Assembled message = assembler.read(header, reader);
                if (message != null) {
                    receiveMessage(message);
                }
            }
        }
    }

    private byte[] readControlPayload(FrameHeader header) throws IOException {
        byte[] payload = new byte[(int) header.length()];
        reader.readPayload(header, payload, 0);
        return payload;
    }

    private void receiveMessage(MessageAssembler.Assembled assembled) throws IOException {
        WebSocketExtension.Message message = assembled.message();
        DataType dataType = assembled.type();
        if (message.reservedBits() != 0) {
            for (int i = extensions.size() - 1; i >= 0; i--) {
                try {
                    message = extensions.get(i).processIncomingMessage(dataType, message, maxIncomingPayloadSize);
                } catch (WebSocketException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw protocolError(extensions.get(i).getName() + " failed: " + e.getMessage());
                }
            }
            if (message.reservedBits() != 0) {
                throw protocolError("reserved bits set that no extension uses");
            }
            byte[] payload = message.payload();
            if (dataType == DataType.TEXT && !Utf8Validator.isValid(payload, 0, payload.length)) {
                throw new WebSocketException(CloseCode.BAD_DATA, "text message is not valid UTF-8");
            }
        }
        byte[] payload = message.payload();
        WebSocketMessageEvent event = WebSocketMessageEvent.beginIfEnabled();
        messageListeners.forEach(listener -> deliver(() -> listener.accept(dataType, payload), "onMessage"));
        if (event != null) {
            record(event, false, dataType, payload.length);
        }
    }

    /** Commits a message's Flight Recorder event. */
    private static void record(WebSocketMessageEvent event, boolean sent, DataType dataType, int size) {
        event.end();
        if (event.shouldCommit()) {
            event.sent = sent;
            event.type = dataType.name();
            event.size = size;
            event.commit();
        }
    }

    private void receiveClose(byte[] body) throws WebSocketException {
        // Set first: even a malformed close means the peer is done, so ours need not wait for another.
        closeReceived = true;
        ClosePayload close = ClosePayload.parse(body);
        closeCode = close.code();
        closeData = close.reason();
        int answer = close.code() == CloseCode.NO_STATUS ? CloseCode.NORMAL : close.code();
        sendClose(answer, close.reason());
    }

    // ---- events ----------------------------------------------------------------------------------

    private void onReaderThread(Runnable event) {
        if (Thread.currentThread() == readerThread) {
            event.run();
        } else {
            pendingEvents.add(event);
        }
    }

    private void runPendingEvents() {
        Runnable event;
        while ((event = pendingEvents.poll()) != null) {
            event.run();
        }
    }

    private void fireClosing() {
        if (closingFired.compareAndSet(false, true)) {
            closingListeners.forEach(listener -> safely(listener, "onClosing"));
        }
    }

    private void fireError(Throwable error) {
        errorListeners.forEach(listener -> safely(() -> listener.accept(error), "onError"));
    }

    /** Runs a message or pong listener; one that throws fails the connection with {@link CloseCode#SERVER_ERROR}. */
    private void deliver(Runnable call, String event) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket " + event + " listener failed", e);
            fail(new WebSocketException(CloseCode.SERVER_ERROR, event + " listener failed"));
        }
    }

    private static void safely(Runnable call, String event) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket " + event + " listener failed", e);
        }
    }
}
