package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import dev.ladle.server.Limits;
import dev.ladle.server.internal.http2.Http2Config;
import dev.ladle.server.internal.http2.Http2Connection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.ladle.server.StolenConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection, served by a virtual thread: reads requests one after another from a reused
 * buffer and hands each to the {@link RequestPipeline}, until either side ends the connection.
 *
 * <p>A plain TCP connection that stays quiet for {@link IdleWait#PARK_AFTER_MILLIS} between requests (or
 * between WebSocket frames, or with no HTTP/2 stream open) gives up its thread and buffers and waits in
 * the server's {@link IdleSelector}; when the peer sends again a new thread goes on where the old one
 * stopped ({@link #drive}). TLS connections and streams keep their thread: only a socket channel can
 * wait in a selector, and a TLS socket may hold decrypted bytes the selector cannot see.
 *
 * <p>Other threads touch a connection only to pause or unpause its message, to stream a response
 * body, or to end it ({@link #finishAndClose}, {@link #abort}); those paths go through {@link #lock}.
 */
public final class HttpConnection implements Runnable, MessageIo {
    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("ladle-connection");
    /** How long a connection waits for its next request before the watchdog takes its buffers. */
    private static final long KEEP_BUFFERS_NANOS = 1_000_000_000L;
    /** What {@link #awaitRequest} found: the next request's first bytes, the end, or a park. */
    private static final int REQUEST = 0;
    private static final int END = 1;
    private static final int PARKED = 2;

    final ServerState state;
    Transport transport;
    private final Socket plainSocket;
    private final Listener listener;
    private final boolean acceptedStream;
    /** The paused message's wait; its lock also guards the other paths other threads take into the connection. */
    private final PauseGate pausing = new PauseGate(this::beforePausedWait, "connection closed while the message was paused");
    final ReentrantLock lock = pausing.lock;
    InputBuffer in;
    OutputBuffer out;
    RequestHeadParser parser;
    ResponseWriter writer;
    private RequestPipeline pipeline;
    /** True while waiting for the first byte of the next request, or for the PROXY header before the first. */
    private volatile boolean idle;
    /** {@link System#nanoTime()} when the current idle wait began, or 0: read by the watchdog. */
    private volatile long idleSince;
    /** Set by disconnect and close: finish the current request, then close. */
    private volatile boolean closing;
    private volatile boolean stolen;
    /**
     * While a message is paused, this thread waits in a read so that a client that leaves is noticed
     * (the paused thread cannot read). It reads into {@link #in}, which the connection's thread leaves
     * alone until it has joined the watcher.
     */
    private Thread watcher;
    /** The thread serving this connection, interrupted by {@link #abort()} to end reads that ignore close. */
    private volatile Thread thread;
    /** The message in progress or last handled, for the Disconnected event; null while parked, see {@link #parkedLast}. */
    private volatile Exchange current;
    /**
     * The last message while the connection is parked, when nobody subscribed to its events: held
     * weakly, as a message nobody can reach any more can get no Disconnected listener either.
     */
    private volatile java.lang.ref.WeakReference<Exchange> parkedLast;
    /** True once a request began on this connection (a plain connection's first may be the HTTP/2 preface). */
    private boolean requested;
    /** The HTTP/2 engine once the connection speaks HTTP/2 (ALPN h2, or the h2c preface); null for HTTP/1. */
    private volatile Http2Connection http2;
    /** The connection's Flight Recorder event while one is being recorded, from accept to end; else null. */
    private dev.ladle.server.internal.jfr.ConnectionEvent recording;
    /**
     * The WebSockets this connection carries, told to go away when the server closes: the one it was
     * upgraded to (HTTP/1), or those on its HTTP/2 streams (RFC 8441).
     */
    private volatile Set<WebSocketUpgrade> webSockets;
    /** The first bytes of an HTTP/2 connection on a plain listener (RFC 9113 section 3.4). */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    /** True while reading the first request of a plain connection that could have been HTTP/2. */
    private boolean h2cCandidate;

    /** How this connection parks in the idle selector; null for one that keeps its thread (TLS, streams). */
    private volatile ChannelParking parking;
    /**
     * Set by the thread that decided to park, as its stack unwinds: what the next thread continues
     * with. Only the connection's current thread touches it.
     */
    private IdleParking.Resume parkedStep;
    /** What the resumed thread continues with; handed over through the selector. */
    private IdleParking.Resume resumeStep;
    /** Which of this connection's waits for its peer are timed, so that it can park. */
    private final IdleWait idleWait = new IdleWait();
    /** Whether the last untimed wait for a request began with a {@link Thread#yield()}: see {@link #yieldOnEveryOtherWait()}. */
    private boolean yieldedLastWait;

    /**
     * This connection's place in the connection caps' counts (given back when it ends or is stolen), or
     * null; replaced once when a PROXY header names the client, whose address the per-address cap counts.
     */
    private volatile ConnectionAdmission.Ticket admission;
    /** The PROXY protocol header the connection started with (a {@code PROXY_PROTOCOL} listener), or null. */
    private volatile dev.ladle.server.ProxyHeader proxyHeader;
    /** {@link System#nanoTime()} (made odd) when the response timeout answered and half-closed this connection; 0 before. */
    private volatile long timedOutAt;

    private HttpConnection(ServerState state, Transport transport, Socket plainSocket, Listener listener,
                           boolean acceptedStream, ConnectionAdmission.Ticket admission) {
        this.state = state;
        this.transport = transport;
        this.plainSocket = plainSocket;
        this.listener = listener;
        this.acceptedStream = acceptedStream;
        this.admission = admission;
    }

    /** Serves {@code transport} on a new virtual thread. */
    public static void start(ServerState state, Transport transport, boolean acceptedStream) {
        launch(new HttpConnection(state, transport, null, null, acceptedStream, null));
    }

    /** Serves a stream connection {@code listener} accepted (a Unix-domain socket), holding its place in the caps' counts. */
    static void startAccepted(ServerState state, Transport transport, Listener listener, ConnectionAdmission.Ticket admission) {
        launch(new HttpConnection(state, transport, null, listener, false, admission));
    }

    /** Serves a socket accepted by {@code listener}, doing the TLS handshake first for an https listener. */
    static void startAccepted(ServerState state, Socket socket, Listener listener, ConnectionAdmission.Ticket admission) {
        launch(new HttpConnection(state, null, socket, listener, false, admission));
    }

    private static void launch(HttpConnection connection) {
        connection.state.counters.connectionsAccepted.increment();
        connection.recording = dev.ladle.server.internal.jfr.ConnectionEvent.beginIfEnabled();
        connection.state.connections.add(connection);
        try {
            THREADS.start(connection);
        } catch (RuntimeException | Error e) {
            connection.releaseAdmission();
            connection.state.connections.remove(connection);
            connection.abort();
            throw e;
        }
    }

    private void releaseAdmission() {
        ConnectionAdmission.Ticket ticket = admission;
        if (ticket != null) {
            ticket.release();
        }
    }

    /** Returns true for a TLS connection, also before its handshake finished. */
    @Override
    public boolean isSecure() {
        Transport t = transport;
        return t != null ? t.isSecure() : listener != null && listener.https();
    }

    /** Returns the local address, also before a TLS handshake finished. */
    @Override
    public java.net.SocketAddress localAddress() {
        Transport t = transport;
        return t != null ? t.localAddress() : plainSocket == null ? null : plainSocket.getLocalSocketAddress();
    }

    /** Returns the client's address: the one a PROXY header carried, else the peer's; also before a TLS handshake finished. */
    @Override
    public java.net.SocketAddress remoteAddress() {
        dev.ladle.server.ProxyHeader header = proxyHeader;
        return header != null && header.sourceAddress() != null ? header.sourceAddress() : peerAddress();
    }

    /** Returns the address of the socket's peer (a balancer's, behind one), also before a TLS handshake finished. */
    @Override
    public java.net.SocketAddress peerAddress() {
        Transport t = transport;
        return t != null ? t.remoteAddress() : plainSocket == null ? null : plainSocket.getRemoteSocketAddress();
    }

    @Override
    public dev.ladle.server.ProxyHeader proxyHeader() {
        return proxyHeader;
    }

    /** Returns the peer's certificates: empty until a TLS handshake finished. */
    @Override
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        Transport t = transport;
        return t == null ? java.util.List.of() : t.peerCertificates();
    }

    /** Returns the problems with the peer's certificates: empty until a TLS handshake finished. */
    @Override
    public java.util.Set<dev.ladle.tls.TlsCertificateFlag> peerCertificateErrors() {
        Transport t = transport;
        return t == null ? java.util.Set.of() : t.peerCertificateErrors();
    }

    /** Returns the revocation status of the peer's certificates: not checked until a TLS handshake finished. */
    @Override
    public dev.ladle.tls.TlsRevocationStatus peerCertificateRevocation() {
        Transport t = transport;
        return t == null ? dev.ladle.tls.TlsRevocationStatus.notChecked() : t.peerCertificateRevocation();
    }

    /** Returns the host name the client sent in its TLS handshake: null until a handshake finished. */
    @Override
    public String tlsServerName() {
        Transport t = transport;
        return t == null ? null : t.tlsServerName();
    }

    /** Returns true for a connection given through {@code Server.acceptStream}. */
    boolean isAcceptedStream() {
        return acceptedStream;
    }

    @Override
    public void run() {
        drive(this::open);
    }

    /** The connection's first stretch: the transport (a TLS handshake), the buffers, then requests. */
    private void open() throws IOException {
        if (listener != null && listener.proxyProtocol() && !startProxied()) {
            return;
        }
        if (transport == null && !openTransport()) {
            return;
        }
        in = new InputBuffer(transport.input(), transport.plainChannel());
        out = new OutputBuffer(transport.output(), transport.plainChannel(),
                state.loopbackFileCopy.forPeer(transport.plainChannel()));
        parser = new RequestHeadParser(in, transport, out);
        writer = new ResponseWriter(this, out);
        pipeline = new RequestPipeline(this);
        serve();
    }

    /**
     * Runs {@code step} on this thread; when it returns having asked to park ({@link #parkedStep}),
     * hands the connection to the idle selector and lets this thread end, or goes on here when the
     * connection cannot park right now. Ends the connection once a step returns without a park.
     */
    private void drive(IdleParking.Resume step) {
        thread = Thread.currentThread();
        IdleParking.Resume next = step;
        while (next != null) {
            parkedStep = null;
            try {
                next.run();
            } catch (IOException e) {
                parkedStep = null;
                LOG.log(System.Logger.Level.TRACE, "connection ended: {0}", e.toString());
            } catch (RuntimeException | Error e) {
                parkedStep = null;
                LOG.log(System.Logger.Level.ERROR, "connection failed", e);
            }
            next = parkedStep;
            parkedStep = null;
            if (next != null && parking.enterNonBlocking()) {
                resumeStep = next;
                thread = null; // a parked connection holds no thread, not even a finished one
                if (parking.park()) {
                    return; // a new thread goes on (resumeParked); this one must not touch the connection again
                }
                resumeStep = null;
                thread = Thread.currentThread();
                restoreBlocking();
                parking = null; // no selector: this connection keeps its thread from now on
            }
        }
        end();
    }

    /** The idle selector's resume: on a new thread, the channel blocks again, then the parked step goes on. */
    private void resumeParked() {
        IdleParking.Resume step = resumeStep;
        resumeStep = null;
        drive(() -> {
            // closed meanwhile: the step's first read fails and ends the connection as usual
            restoreBlocking();
            step.run();
        });
    }

    /** Puts a parked channel back into blocking mode; a channel closed meanwhile is left to the next read. */
    private void restoreBlocking() {
        ChannelParking p = parking;
        try {
            if (p != null) {
                p.restoreBlocking();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "an idle connection was closed while parked: {0}", e.toString());
        }
    }

    /**
     * Before a park: the last message (a WebSocket's handshake) is held weakly unless somebody listens
     * to its events; a WebSocket that parks again finds it held weakly already.
     */
    private void holdLastWeakly() {
        Exchange last = current;
        if (last != null && last.eventsIfAny() == null) {
            parkedLast = new java.lang.ref.WeakReference<>(last);
            current = null;
        }
    }

    /**
     * Called as a wait for the peer begins at {@code now} ({@link System#nanoTime()}): true when it is
     * timed and may end in a park ({@link IdleWait}). A connection that cannot park (TLS, a stream) asks
     * nothing more: its waits need no timing.
     */
    private boolean waitMayPark(long now) {
        return mayPark() && idleWait.timed(now);
    }

    /**
     * Before every other untimed wait for the next request (a busy connection, or a TLS one): lets the
     * other runnable connections go first, so that the client has had time to send its next request
     * when this thread reads. A read that finds the request saves the failed read, the poller's
     * registration and the two thread hand-offs of a wake-up (keep-alive with 50 connections on one
     * CPU, alternating launches: about a fifth more requests a second, the p99 alike). Only every other wait:
     * yielded threads queue ahead of the wake-ups the JDK's poller delivers, and connections that found
     * their request after yielding on every wait kept the poller from running (one launch measured a
     * p99 of 319 ms); yielding on alternate waits sends each connection through the poller at least
     * every second request, which bounds that delay to about two rounds of the runnable connections.
     * Without contention the yield returns at once.
     */
    private void yieldOnEveryOtherWait() {
        yieldedLastWait = !yieldedLastWait;
        if (yieldedLastWait) {
            Thread.yield();
        }
    }

    /** Returns true when this connection may give up its thread now. */
    private boolean mayPark() {
        return parking != null && !closing && !stolen;
    }

    /**
     * The wait of a protocol reader before it parks ({@link IdleParking#parkIfIdle}): unless the
     * connection is busy, {@link IdleWait#quietUntilParking} until the reader and this connection may park.
     *
     * @return true when the caller parks; false when the read returned, or the connection is busy and
     *     the caller should wait as usual
     */
    private boolean quietUntilParking(IdleParking.Read read, java.util.function.BooleanSupplier readerMayPark)
            throws IOException {
        return waitMayPark(System.nanoTime()) && IdleWait.quietUntilParking(transport, read, () -> mayPark() && readerMayPark.getAsBoolean());
    }

    /** Closes the transport from any thread; a parked connection is resumed, so that its end is handled. */
    private void closeTransport() {
        transport.close();
        wakeParked();
    }

    /** Resumes the connection if it is parked (its channel was closed, or it must end). */
    private void wakeParked() {
        ChannelParking p = parking;
        if (p != null) {
            p.wake();
        }
    }

    /**
     * Reads the PROXY header a {@code PROXY_PROTOCOL} listener's connection starts with, and counts the
     * connection under the client's address; false when the connection ended instead (no valid header
     * in time: closed without a word; the client's address over its cap: refused).
     */
    private boolean startProxied() throws IOException {
        Transport t = transport != null ? transport : new SocketTransport(plainSocket);
        ProxyPreamble.Outcome outcome;
        // idle until the header is in: a server that closes ends this connection at once, as one awaiting a request
        idle = true;
        try {
            if (closing) {
                return false;
            }
            outcome = ProxyPreamble.read(state, t, admission, listener.https());
        } finally {
            idle = false;
        }
        if (outcome.ticket() != null) {
            admission = outcome.ticket();
        }
        proxyHeader = outcome.header();
        return outcome.header() != null;
    }

    /** Creates the transport of an accepted socket; false when a TLS handshake failed. */
    private boolean openTransport() throws IOException {
        if (!listener.https()) {
            java.nio.channels.SocketChannel channel = plainSocket.getChannel();
            if (channel == null) {
                transport = new SocketTransport(plainSocket);
                return true;
            }
            ChannelParking p = new ChannelParking(channel, state.idleSelector, this::resumeParked);
            transport = new SocketTransport(plainSocket, p.guard(plainSocket.getOutputStream()));
            parking = p;
            return true;
        }
        // libsoup starts the first request at accept time, before TLS, so that listeners can subscribe
        // to the message's AcceptCertificate event.
        Exchange first = new Exchange(this);
        pendingFirst = first;
        state.events.requestStarted(first);
        try {
            // null when nobody listens: REQUESTED then serves a client whose certificate is not trusted
            MessageEvents events = first.eventsIfAny();
            transport = TlsHandshaker.handshake(state, plainSocket,
                    events == null || events.acceptCertificate.isEmpty() ? null : events::acceptCertificate);
            return true;
        } catch (IOException e) {
            state.counters.tlsHandshakeFailures.increment();
            LOG.log(System.Logger.Level.DEBUG, "TLS handshake with {0} failed: {1}", plainSocket.getRemoteSocketAddress(), e.getMessage());
            pendingFirst = null;
            try {
                plainSocket.close();
            } catch (IOException ignored) {
                // already failing
            }
            // The request started at accept time ends as any cut-short exchange does: aborted (libsoup,
            // which has no method for it yet, emits nothing), then Disconnected from end().
            current = first;
            MessageEvents events = first.eventsIfAny();
            if (events != null) {
                MessageEvents.run(events.finished);
            }
            state.events.requestAborted(first);
            return false;
        }
    }

    /** A message already started (TLS connections start their first request before the handshake). */
    private Exchange pendingFirst;

    private void serve() throws IOException {
        if (transport instanceof TlsTransport tls && "h2".equals(tls.applicationProtocol())) {
            serveHttp2();
            return;
        }
        serveRequests();
    }

    /** Serves HTTP/1 requests one after another until the connection ends, or parks between two. */
    private void serveRequests() throws IOException {
        while (!closing && !stolen) {
            int next = awaitRequest();
            if (next == PARKED) {
                parkedStep = this::serveRequests;
                return;
            }
            if (next == END) {
                return;
            }
            // the first request (no message yet) of a plain connection may be the HTTP/2 preface
            if (!requested && !transport.isSecure() && state.h2cEnabled()) {
                if (startsWithPreface()) {
                    serveHttp2();
                    return;
                }
                h2cCandidate = true;
            }
            Exchange ex = pendingFirst != null ? pendingFirst : new Exchange(this);
            boolean started = pendingFirst != null;
            pendingFirst = null;
            requested = true;
            current = ex;
            if (parkedLast != null) {
                parkedLast = null;
            }
            if (!pipeline.process(ex, started) || stolen) {
                return;
            }
            if (watcher == null) {
                in.compactIfWorthIt();
            }
        }
    }

    /**
     * Reads until the buffered bytes either begin with the HTTP/2 preface or cannot; the bytes stay in
     * the buffer for whichever protocol reads them.
     */
    private boolean startsWithPreface() throws IOException {
        transport.setReadTimeout((int) Math.min(Integer.MAX_VALUE, state.limits().getHeaderTimeout().toMillis()));
        while (true) {
            int n = Math.min(in.available(), PREFACE.length);
            for (int i = 0; i < n; i++) {
                if (in.buf[in.pos + i] != PREFACE[i]) {
                    return false;
                }
            }
            if (n == PREFACE.length) {
                return true;
            }
            if (in.fill(in.buf.length) < 0) {
                return false;
            }
        }
    }

    /**
     * Serves the rest of the connection as HTTP/2: the engine reads frames on this thread and runs each
     * request stream through the pipeline on a thread of its own.
     */
    private void serveHttp2() throws IOException {
        transport.setReadTimeout(0);
        Limits limits = state.limits();
        Http2Config config = new Http2Config(limits.getMaxConcurrentStreams(), limits.getHttp2StreamWindow(),
                Math.max(CONNECTION_WINDOW, limits.getHttp2StreamWindow()), Http2Config.defaults().maxFrameSize(),
                limits.getMaxHeaderSectionSize(), Http2Config.defaults().headerTableSize(), limits.getWriteTimeout(), true);
        // the engine's own watchdog ends a socket write blocked past the write timeout
        Transport t = transport;
        Exchange started = pendingFirst;
        pendingFirst = null;
        IdleParking idle = parking == null ? null : (read, mayPark, resume) -> {
            if (!quietUntilParking(read, mayPark)) {
                return false;
            }
            parkedStep = () -> {
                try {
                    resume.run();
                } finally {
                    awaitHttp2HandlersUnlessParked();
                }
            };
            return true;
        };
        Http2Connection engine = new Http2Connection(config, handOver(), t.output(), this::closeTransport, stream -> {
            streamStarted();
            new Http2StreamIo(this, stream).serve();
        }, idle);
        http2 = engine;
        if (started != null) {
            // the TLS handshake's message carried the AcceptCertificate listeners; no request follows on it
            state.events.requestAborted(started);
        }
        if (closing) {
            engine.goAway();
        }
        try {
            engine.serve();
        } finally {
            awaitHttp2HandlersUnlessParked();
        }
    }

    /**
     * After the HTTP/2 reader returned: unless it parked, waits for the stream handlers. One may still be
     * between its response and its finished or aborted event: the connection ends (and stops counting)
     * only after its last request did, as on HTTP/1. A parked connection has not ended.
     */
    private void awaitHttp2HandlersUnlessParked() {
        Http2Connection engine = http2;
        if (parkedStep == null && engine != null) {
            engine.awaitHandlers();
        }
    }

    /** True once an HTTP/2 stream of this connection reached its handler: {@link #drain()} then sends GOAWAY. */
    private volatile boolean streamSeen;

    /**
     * An HTTP/2 stream starts. While the server drains, a connection whose GOAWAY {@link #drain()} left
     * for its first stream gets it now, naming this stream as the last, so that it and those sent with
     * it are served and the client takes the rest elsewhere (GOAWAY goes once; later calls do nothing).
     */
    private void streamStarted() {
        streamSeen = true;
        Http2Connection engine = http2;
        if (engine != null && state.drain.isDraining()) {
            engine.goAway();
        }
    }

    /** The HTTP/2 connection receive window: room for many streams' uploads at once. */
    private static final int CONNECTION_WINDOW = 16 * 1024 * 1024;

    /** The last authority an HTTP/2 stream of this connection named that was valid: clients repeat it. */
    private volatile String validAuthority;

    /** Checks an HTTP/2 request's authority, remembering the last valid one (each stream names it again). */
    boolean isValidAuthority(String authority) {
        if (authority.equals(validAuthority)) {
            return true;
        }
        boolean valid = Hosts.isValidAuthority(authority);
        if (valid) {
            validAuthority = authority;
        }
        return valid;
    }

    /**
     * Runs a WebSocket this connection carries (upgraded to, or on an HTTP/2 stream) until it ends,
     * registered so that a server that closes tells it to go away.
     */
    void runWebSocket(WebSocketUpgrade upgrade, Runnable run) {
        carryWebSocket(upgrade);
        try {
            run.run();
        } finally {
            webSockets().remove(upgrade);
        }
    }

    /**
     * Registers a WebSocket this connection starts to carry, so that a server that closes or drains
     * tells it to go away; told at once when that began before (the handshake may have been checked
     * before a drain began, and the drain then found no WebSocket to tell).
     */
    private void carryWebSocket(WebSocketUpgrade upgrade) {
        webSockets().add(upgrade);
        if (closing || state.drain.isDraining()) {
            upgrade.goingAway();
        }
    }

    /** The WebSockets this connection carries, made with the first: most connections never carry one. */
    private Set<WebSocketUpgrade> webSockets() {
        Set<WebSocketUpgrade> upgrades = webSockets;
        if (upgrades == null) {
            lock.lock();
            try {
                upgrades = webSockets;
                if (upgrades == null) {
                    upgrades = ConcurrentHashMap.newKeySet();
                    webSockets = upgrades;
                }
            } finally {
                lock.unlock();
            }
        }
        return upgrades;
    }

    /** Returns true when the next request's bytes are already buffered (then a flush can wait). */
    @Override
    public boolean hasBufferedRequest() {
        return watcher == null && in.available() > 0;
    }

    /**
     * Waits for the first byte of the next request: {@link #REQUEST} when it came, {@link #END} when the
     * connection should end instead, {@link #PARKED} when a plain connection stayed quiet past the park
     * threshold and let its buffers go (it stays {@link #idle}, its idle time running on).
     */
    private int awaitRequest() throws IOException {
        if (watcher == null && in.available() > 0) {
            return REQUEST;
        }
        out.flush();
        idle = true;
        boolean parked = false;
        try {
            if (closing) {
                return END;
            }
            if (watcher != null) {
                return joinWatcher() ? REQUEST : END;
            }
            in.compactIfWorthIt();
            // The watchdog enforces the idle timeout and takes the buffers of connections that stay
            // idle. A plain connection that may park waits with the park threshold as read timeout, then
            // parks; a busy one, and a TLS one, waits without a timeout.
            in.parkForIdle();
            out.parkForIdle();
            // one clock read per wait, for the idle time and the park policy alike
            long now = System.nanoTime();
            if (idleSince == 0) {
                // a resumed connection keeps counting from its first idle moment
                idleSince = now | 1;
            }
            try {
                if (waitMayPark(now)) {
                    transport.setReadTimeout(IdleWait.PARK_AFTER_MILLIS);
                    try {
                        return in.fill(in.buf.length) > 0 ? REQUEST : END;
                    } catch (SocketTimeoutException e) {
                        parked = true;
                        holdLastWeakly();
                        in.releaseWhileParked();
                        out.dropParked();
                        pipeline.dropBodyBuffer();
                        return PARKED;
                    }
                }
                transport.setReadTimeout(0);
                yieldOnEveryOtherWait();
                return in.fill(in.buf.length) > 0 ? REQUEST : END;
            } finally {
                if (!parked) {
                    idleSince = 0;
                    in.unparkAfterIdle();
                    out.unparkAfterIdle();
                }
            }
        } catch (SocketTimeoutException e) {
            return END;
        } finally {
            if (!parked) {
                idle = false;
            }
        }
    }

    /**
     * The watchdog's look at an idle connection: past the idle timeout it is closed; idle longer than a
     * second, it loses its buffers.
     */
    void checkIdle(long now, long idleTimeoutNanos) {
        Http2Connection engine = http2;
        if (engine != null) {
            engine.checkIdle(now, idleTimeoutNanos);
            engine.checkHeaderTimeout(now, state.limits().getHeaderTimeout().toNanos());
            return;
        }
        long since = idleSince;
        if (since == 0) {
            return;
        }
        long idleFor = now - since;
        if (idleFor > idleTimeoutNanos) {
            abort();
        } else if (idleFor > KEEP_BUFFERS_NANOS) {
            in.dropParked();
            out.dropParked();
            pipeline.dropBodyBuffer();
        }
    }

    /** Returns true when a read from a stream connection has been blocked longer than its timeout. */
    boolean readStalled() {
        return transport instanceof StreamTransport stream && stream.readStalled();
    }

    /** Returns true when a write to the client has been blocked longer than {@code limitNanos}. */
    boolean writeStalledFor(long limitNanos) {
        // HTTP/2 writes bypass the buffer; the engine times them itself
        OutputBuffer o = http2 == null ? out : null;
        return o != null && o.blockedNanos() > limitNanos;
    }

    /** Returns true when the server has asked this connection to finish. */
    boolean isClosing() {
        return closing;
    }

    /**
     * Returns true when a kept-alive connection may serve another request: libsoup's rule (the server must
     * still listen), and never while the server drains, so that each response then says
     * {@code Connection: close}.
     */
    @Override
    public boolean mayKeepAlive() {
        return !closing && !state.drain.isDraining() && (acceptedStream || state.listening());
    }

    // ---- the HTTP/1 side of MessageIo --------------------------------------------------------------

    @Override
    public ServerState state() {
        return state;
    }

    @Override
    public void readHead(Exchange ex, Limits limits) throws IOException, HttpException {
        long deadline = System.nanoTime() + limits.getHeaderTimeout().toNanos();
        try {
            parser.parse(ex, limits, deadline);
        } catch (HttpException e) {
            if (h2cCandidate && e.isNotHttp1()) {
                // neither HTTP/1 nor the HTTP/2 preface: a failed preface ends the connection (RFC 9113 section 3.4)
                throw new java.io.EOFException("the first bytes are neither HTTP/1 nor the HTTP/2 preface");
            }
            throw e;
        } finally {
            h2cCandidate = false;
        }
        ex.bodyReader = Http1Framing.check(ex, in, limits);
    }

    @Override
    public void setBodyReadTimeout(int millis) throws IOException {
        transport.setReadTimeout(millis);
    }

    @Override
    public boolean unreadBodyBlocksNextRequest() {
        return true;
    }

    @Override
    public ResponseWriter.Framing writeHead(Exchange ex, boolean keepAlive) throws IOException {
        return writer.writeHead(ex, keepAlive);
    }

    @Override
    public void writeContinue(Exchange ex) throws IOException {
        // under the lock: the response timeout may be writing its 503 from another thread
        lock.lock();
        try {
            if (!ex.timedOut()) {
                writer.writeContinue(ex);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void writeBodyPiece(ResponseWriter.Framing framing, ByteBuffer data, boolean last, boolean flush) throws IOException {
        int n = data.remaining();
        writer.writeChunk(framing, data, flush);
        state.counters.responseBodyBytesWritten.add(n);
    }

    @Override
    public boolean gathersDirectPieces() {
        return out.sendsFiles();
    }

    @Override
    public void writeDirectPieces(ByteBuffer[] pieces) throws IOException {
        state.counters.responseBodyBytesWritten.add(out.writeDirect(pieces));
    }

    @Override
    public boolean sendsFiles() {
        return out.sendsFiles();
    }

    @Override
    public void writeFilePiece(ResponseWriter.Framing framing, java.nio.channels.FileChannel file, long position, long count)
            throws IOException {
        state.counters.fileBytesTransferred.add(writer.writeFile(framing, file, position, count));
        state.counters.responseBodyBytesWritten.add(count);
    }

    @Override
    public void writeEnd(ResponseWriter.Framing framing) throws IOException {
        writer.writeEnd(framing);
    }

    @Override
    public void writeError(Exchange ex, int status, String reason, boolean close) throws IOException {
        writer.writeError(ex, status, reason, close);
    }

    @Override
    public boolean outputFailed() {
        return out.failed();
    }

    @Override
    public void answerTimeout(Exchange ex) {
        byte[] answer = UnavailableAnswer.http1(state, isSecure(), "no response in time");
        lock.lock();
        try {
            // after the response before it, if that one is still buffered (pipelining)
            out.write(answer, 0, answer.length);
            out.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "response timeout: the client left: {0}", e.toString());
        } finally {
            lock.unlock();
        }
        try {
            // the client reads the 503 and the end of the response at once; the watchdog closes the
            // socket after a grace unless the connection's thread, once the handler returned, does first
            transport.shutdownOutput();
        } catch (IOException e) {
            // gone already
        }
        timedOutAt = System.nanoTime() | 1;
        markClosed();
    }

    /** Returns true when the response timeout half-closed this connection more than {@code graceNanos} ago. */
    boolean timedOutLongerThan(long nowNanos, long graceNanos) {
        long at = timedOutAt;
        return at != 0 && nowNanos - at > graceNanos;
    }

    @Override
    public void startWebSocket(Exchange ex, WebSocketUpgrade upgrade) throws IOException {
        // frames may be far apart: the HTTP read timeouts no longer apply
        transport.setReadTimeout(0);
        // frames go out through the timed stream: the watchdog cuts off a peer that stops reading them
        OutputStream frames = out.unbuffered();
        InputStream input = handOver();
        if (parking != null) {
            input = new ParkingInputStream(input, (read, mayPark, resume) -> parkWebSocket(upgrade, read, mayPark, resume));
        }
        InputStream frameInput = input;
        carryWebSocket(upgrade);
        boolean parked = false;
        try {
            upgrade.run(state, ex, ex.requestTarget.path(), frameInput, frames, this::closeTransport);
            parked = parkedStep != null;
        } finally {
            if (!parked) {
                webSockets().remove(upgrade);
            }
        }
    }

    /**
     * The WebSocket reader's idle wait ({@link IdleParking}): parks after the threshold; the resumed
     * thread reads on, and deregisters the WebSocket once it ended.
     */
    private boolean parkWebSocket(WebSocketUpgrade upgrade, IdleParking.Read read, java.util.function.BooleanSupplier mayPark,
                                  IdleParking.Resume resume) throws IOException {
        if (!quietUntilParking(read, mayPark)) {
            return false;
        }
        holdLastWeakly();
        parkedStep = () -> {
            boolean parkedAgain = false;
            try {
                resume.run();
                parkedAgain = parkedStep != null;
            } finally {
                if (!parkedAgain) {
                    webSockets().remove(upgrade);
                }
            }
        };
        return true;
    }

    // ---- pausing ---------------------------------------------------------------------------------

    @Override
    public void pause(Exchange ex) {
        pausing.pause(ex);
    }

    @Override
    public void unpause(Exchange ex) {
        pausing.unpause(ex);
    }

    /** Parks the connection's thread while {@code ex} is paused; throws when the connection ended meanwhile. */
    @Override
    public void awaitUnpaused(Exchange ex) throws IOException {
        pausing.awaitUnpaused(ex);
    }

    @Override
    public ByteBuffer awaitChunk(Exchange ex, MessageBody body, long offset) throws IOException {
        return pausing.awaitChunk(ex, body, offset);
    }

    /** Before a paused message waits: what is written so far goes out, and the client is watched. */
    private void beforePausedWait(Exchange ex) throws IOException {
        out.flush();
        watchPeer(ex);
    }

    /**
     * Starts the watcher for a paused message, when the request was read completely and nothing of the
     * next one is buffered (then the connection's input is free to wait on).
     */
    private void watchPeer(Exchange ex) {
        if (watcher != null || in.available() > 0 || ex.bodyReader == null || !ex.bodyReader.isDone()) {
            return;
        }
        watcher = Thread.ofVirtual().name("ladle-watcher").start(() -> {
            try {
                transport.setReadTimeout(0);
                in.compactIfWorthIt();
                if (in.fill(in.buf.length) < 0) {
                    markClosed();
                }
            } catch (IOException e) {
                markClosed();
            }
        });
    }

    /** Marks the connection ended and wakes a paused wait, which then fails. */
    private void markClosed() {
        pausing.markClosed();
    }

    /** Waits (up to the idle timeout) for the watcher's read; true when it brought the next request's first bytes. */
    private boolean joinWatcher() throws IOException {
        Thread w = watcher;
        try {
            if (!w.join(state.limits().getIdleTimeout())) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        watcher = null;
        return !pausing.isClosed() && in.available() > 0;
    }

    // ---- streamed bodies -------------------------------------------------------------------------

    @Override
    public int readBody(Exchange ex, byte[] b, int off, int len) throws IOException, HttpException {
        return pipeline.readBodyForStream(ex, b, off, len);
    }

    @Override
    public ResponseWriter.Framing commitStreamingHead(Exchange ex) throws IOException {
        lock.lock();
        try {
            return pipeline.commitStreamingHead(ex);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    // ---- ending ----------------------------------------------------------------------------------

    @Override
    public StolenConnection steal(Exchange ex) {
        InputStream rest;
        lock.lock();
        try {
            if (stolen) {
                throw new IllegalStateException("connection already stolen");
            }
            if (!ex.claimHead()) {
                throw new IllegalStateException("the response timeout already answered this request");
            }
            stolen = true;
            ex.stolen = true;
            rest = handOver();
        } finally {
            lock.unlock();
        }
        releaseAdmission();
        state.connections.remove(this);
        record();
        Transport t = transport;
        return new StolenConnection(rest, t.output(), t.localAddress(), remoteAddress(), t);
    }

    /**
     * Gives the connection to another protocol (a stolen connection, a WebSocket): drops the response
     * bytes not yet written, lets both HTTP buffers go, and returns the bytes read but not consumed
     * followed by the rest of the input.
     */
    InputStream handOver() {
        if (out != null) {
            out.release();
        }
        return in.detach();
    }

    /** Asks the connection to close after its current response; an idle one closes now. */
    void finishAndClose() {
        closing = true;
        Set<WebSocketUpgrade> upgrades = webSockets;
        if (upgrades != null) {
            for (WebSocketUpgrade upgrade : upgrades) {
                upgrade.goingAway();
            }
        }
        Http2Connection engine = http2;
        if (engine != null) {
            engine.goAway();
        } else if ((upgrades == null || upgrades.isEmpty()) && idle) {
            abort();
        }
    }

    /**
     * The server started draining. Its WebSockets get 1001; an HTTP/2 connection that has begun a stream
     * gets GOAWAY now (one that has not gets it with its first, see {@link #streamStarted}). An HTTP/1
     * connection is left as it is: the draining state makes its next response say
     * {@code Connection: close}, busy or idle. Closing an idle keep-alive connection now would race
     * with a request the client (a balancer reusing its pooled connection) may be sending on it, which
     * would then go unanswered; {@code close()} ends those still idle after the grace.
     */
    void drain() {
        Set<WebSocketUpgrade> upgrades = webSockets;
        if (upgrades != null) {
            for (WebSocketUpgrade upgrade : upgrades) {
                upgrade.goingAway();
            }
        }
        Http2Connection engine = http2;
        if (engine != null && streamSeen) {
            engine.goAway();
        }
    }

    /**
     * Closes the connection at once and interrupts the threads serving it (unless that is the caller),
     * its HTTP/2 streams' included: for a server that stops waiting for it, so that a handler blocked
     * in an interruptible wait (a latch, a sleep, a queue) ends as well as its I/O.
     */
    void cut() {
        abort();
        Thread serving = thread;
        if (serving != null && serving != Thread.currentThread()) {
            serving.interrupt();
        }
        Http2Connection engine = http2;
        if (engine != null) {
            engine.interruptHandlers();
        }
    }

    /** Closes the connection at once, from any thread. */
    void abort() {
        markClosed();
        Http2Connection engine = http2;
        if (engine != null) {
            engine.abort();
        }
        Transport t = transport;
        if (t instanceof StreamTransport) {
            // streams such as pipes may not wake a blocked reader when closed
            Thread serving = thread;
            if (serving != null && serving != Thread.currentThread()) {
                serving.interrupt();
            }
        }
        if (t != null) {
            t.close();
            wakeParked();
        } else if (plainSocket != null) {
            try {
                plainSocket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Commits the connection's Flight Recorder event, when one is being recorded; once. */
    private void record() {
        dev.ladle.server.internal.jfr.ConnectionEvent event = recording;
        if (event == null) {
            return;
        }
        recording = null;
        event.end();
        if (event.shouldCommit()) {
            java.net.SocketAddress remote = remoteAddress();
            event.remoteAddress = remote != null ? remote.toString() : null;
            event.secure = isSecure();
            event.http2 = http2 != null;
            event.stolen = stolen;
            event.commit();
        }
    }

    private void end() {
        if (stolen) {
            return;
        }
        markClosed();
        if (transport != null) {
            if (watcher != null || http2 != null) {
                transport.close();
            } else {
                closeGracefully();
            }
        } else if (plainSocket != null) {
            // the TLS handshake failed; the socket is closed already
            abort();
        }
        releaseAdmission();
        state.connections.remove(this);
        record();
        Exchange last = current;
        java.lang.ref.WeakReference<Exchange> weak = parkedLast;
        if (last == null && weak != null) {
            last = weak.get();
        }
        if (last != null) {
            MessageEvents events = last.eventsIfAny();
            if (events != null) {
                try {
                    MessageEvents.run(events.disconnected);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Disconnected listener failed", e);
                }
            }
        }
    }

    /**
     * Flushes and closes. When the client sent more than was read (a pipelined request after a close, a
     * body left unread, also one whose next bytes have not arrived yet), first half-closes and briefly
     * drains the input, so that the client does not get a reset that destroys the response it has not
     * read yet (a "lingering close").
     */
    private void closeGracefully() {
        try {
            if (out != null) {
                out.flush();
            }
            Exchange last = current;
            // a body left unread is still on its way even when none of it has arrived at this moment
            boolean bodyUnread = last != null && last.bodyReader != null && !last.bodyReader.isDone();
            if (!bodyUnread && (in == null || in.available() == 0) && transport.input().available() == 0) {
                // nothing unread: a plain close sends FIN, no reset can destroy the response
                return;
            }
            transport.shutdownOutput();
            if (transport.hasPreciseTimeouts() && transport.setReadTimeout(200)) {
                byte[] sink = new byte[4096];
                long drained = 0;
                long deadline = System.nanoTime() + 500_000_000L;
                int n;
                while (drained < 256 * 1024 && System.nanoTime() < deadline
                        && (n = transport.input().read(sink)) > 0) {
                    drained += n;
                }
            }
        } catch (IOException e) {
            // the peer is gone already
        } finally {
            transport.close();
        }
    }
}
