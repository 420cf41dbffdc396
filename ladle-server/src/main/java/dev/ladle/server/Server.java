package dev.ladle.server;

import dev.ladle.auth.AuthDomain;
import dev.ladle.server.internal.HandlerEntry;
import dev.ladle.server.internal.HttpConnection;
import dev.ladle.server.internal.Listener;
import dev.ladle.server.internal.PathMap;
import dev.ladle.server.internal.ServerCertificates;
import dev.ladle.server.internal.ServerEvents;
import dev.ladle.server.internal.ServerState;
import dev.ladle.server.internal.StreamTransport;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsProfile;
import dev.ladle.tls.TlsRevocation;
import dev.ladle.websocket.DeflateExtension;
import dev.ladle.websocket.WebSocketExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An embeddable HTTP/1.1 server, modelled on libsoup's {@code SoupServer}.
 *
 * <p>Create one, add handlers by path prefix, then listen:
 * <pre>{@code
 * Server server = new Server();
 * server.addHandler("/hello", (srv, msg, path, query) -> {
 *     msg.setResponse("text/plain", "Hello\n".getBytes(StandardCharsets.UTF_8));
 *     msg.setStatus(200);
 * });
 * server.listenLocal(0, Set.of());
 * URI uri = server.getUris().get(0);
 * }</pre>
 *
 * <p>Each connection is served by its own virtual thread with blocking I/O, so handlers may block. (A
 * plain TCP connection quiet for a moment between requests, between WebSocket frames or with no HTTP/2
 * stream open gives its thread up and waits in a selector; a new thread goes on when the peer sends.) A
 * request goes through these steps, and once a status is set the remaining handler steps are skipped:
 * request started → headers read → auth domains → early handler → {@code Expect: 100-continue} → body
 * read → request read → 404 when no handler covers the path → normal handler → WebSocket handshake →
 * 500 when handlers ran but set no status (unless paused) → response written → request finished (or
 * aborted when the I/O failed first).
 *
 * <p>Handlers match by the longest registered path prefix on segment boundaries ({@code /foo} covers
 * {@code /foo/bar} but not {@code /foobar}); the entry at {@code /} (or null) is the default; the
 * {@code *} request target of {@code OPTIONS *} only reaches a handler registered at {@code *}.
 *
 * <p>While it listens, the server keeps the JVM running (one small platform thread that is not a
 * daemon, from the first listener to {@link #disconnect()} or {@link #close()}), so a {@code main} may
 * start a server and return, as with the JDK's {@code HttpServer}. Its other threads are virtual, and
 * virtual threads never keep a JVM running. Connections given to {@link #acceptStream} do not hold it.
 *
 * <p>Thread-safe: handlers, auth domains and settings may be changed while the server runs.
 * Subclasses may override {@link #requestStarted}, {@link #requestRead}, {@link #requestFinished} and
 * {@link #requestAborted}.
 */
public class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    /** The library version, from the build. */
    public static final String VERSION = Version.read();

    private final ServerState state;
    private final ServerStatistics statistics;
    private final Draining draining;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock listenLock = new ReentrantLock();
    private final List<Consumer<ServerMessage>> startedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerMessage>> readListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerMessage>> finishedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerMessage>> abortedListeners = new CopyOnWriteArrayList<>();
    private volatile String serverHeaderSetting;

    /** Creates a server with no handlers and no listeners; permessage-deflate is enabled. */
    @SuppressWarnings("this-escape") // the state only keeps the reference; nothing calls back during construction
    public Server() {
        this.state = new ServerState(this, new Events());
        this.statistics = new ServerStatistics(state.counters, state.connections);
        this.draining = new Draining(state);
        state.webSocketExtensions.add(DeflateExtension.class);
        setServerHeader("");
    }

    // ---- settings ------------------------------------------------------------------------------

    /**
     * Sets the {@code Server} response header: null for none, {@code ""} for {@code ladle/<version>}
     * (the default), a value ending in a space gets {@code ladle/<version>} appended, any other value is
     * used as is.
     *
     * @throws IllegalArgumentException when the value contains control characters
     */
    public void setServerHeader(String value) {
        String expanded;
        if (value == null) {
            expanded = null;
        } else if (value.isEmpty()) {
            expanded = "ladle/" + VERSION;
        } else if (value.endsWith(" ")) {
            expanded = value + "ladle/" + VERSION;
        } else {
            expanded = value;
        }
        if (expanded != null) {
            new dev.ladle.http.MessageHeaders().append("Server", expanded); // validates the value
        }
        this.serverHeaderSetting = value;
        state.setServerHeader(expanded);
    }

    /** Returns the {@code Server} header setting as given to {@link #setServerHeader} (null for none). */
    public String getServerHeader() {
        return serverHeaderSetting;
    }

    /**
     * When true, request paths are passed to handlers and matched exactly as sent, percent-escapes
     * included (libsoup's {@code raw-paths}); default false.
     */
    public void setRawPaths(boolean rawPaths) {
        state.setRawPaths(rawPaths);
    }

    /**
     * Offers HTTP/2 through ALPN ({@code h2}, then {@code http/1.1}) on https listeners; default true.
     * Applies to connections accepted after the call. Requests over HTTP/2 reach the same handlers,
     * auth domains, events and limits as HTTP/1.1 ones, with {@code msg.getHttpVersion()} giving
     * {@link dev.ladle.http.HttpVersion#HTTP_2}; each runs on its own virtual thread.
     */
    public void setHttp2Enabled(boolean enabled) {
        state.setHttp2Enabled(enabled);
    }

    /** Returns true when https listeners offer HTTP/2 (see {@link #setHttp2Enabled}). */
    public boolean isHttp2Enabled() {
        return state.http2Enabled();
    }

    /**
     * Serves HTTP/2 without TLS ("h2c") to clients that open a plain connection with the HTTP/2
     * preface (prior knowledge, RFC 9113 section 3.3); default true. Such a listener still serves
     * HTTP/1.1 to every other client; a request carrying {@code Upgrade: h2c} is served as HTTP/1.1
     * (RFC 9113 retired that upgrade). While enabled, a first request line that names no HTTP version
     * at all (the bytes of neither protocol) closes the connection without an answer, as a failed
     * HTTP/2 preface must; with it disabled it gets {@code 400} as before.
     */
    public void setH2cEnabled(boolean enabled) {
        state.setH2cEnabled(enabled);
    }

    /** Returns true when plain listeners accept HTTP/2 by prior knowledge (see {@link #setH2cEnabled}). */
    public boolean isH2cEnabled() {
        return state.h2cEnabled();
    }

    /**
     * Believes the forwarding headers ({@code Forwarded}, {@code X-Forwarded-For}/{@code -Proto}/
     * {@code -Host}/{@code -Port}) of requests whose connection comes from one of {@code proxies}: they
     * then decide {@link ServerMessage#getRemoteAddress()}, {@link ServerMessage#getUri()} and
     * {@link ServerMessage#isSecure()}, on HTTP/1 and HTTP/2 alike. See {@link TrustedProxies} for how the
     * chain is walked. Off by default ({@link TrustedProxies#NONE}); applies to requests read afterwards.
     * Behind a PROXY protocol listener, the connection's client is the address the PROXY header carried.
     */
    public void setTrustedProxies(TrustedProxies proxies) {
        state.setTrustedProxies(Objects.requireNonNull(proxies, "proxies"));
    }

    /** Returns the proxies set with {@link #setTrustedProxies}; {@link TrustedProxies#NONE} by default. */
    public TrustedProxies getTrustedProxies() {
        return state.trustedProxies();
    }

    /** Returns the raw-paths setting. */
    public boolean isRawPaths() {
        return state.rawPaths();
    }

    /**
     * Sets URI schemes treated as aliases of {@code http} in absolute-form request targets (for example
     * {@code dav}); {@code http} itself is always accepted.
     */
    public void setHttpAliases(String... schemes) {
        state.setHttpAliases(aliases("http", schemes));
    }

    /** Sets URI schemes treated as aliases of {@code https}; {@code https} itself is always accepted. */
    public void setHttpsAliases(String... schemes) {
        state.setHttpsAliases(aliases("https", schemes));
    }

    private static List<String> aliases(String base, String... schemes) {
        List<String> list = new ArrayList<>();
        list.add(base);
        for (String s : schemes) {
            list.add(s.toLowerCase(Locale.ROOT));
        }
        return list;
    }

    /** Installs a copy of {@code limits}; connections pick it up at their next request. */
    public void setLimits(Limits limits) {
        state.setLimits(Objects.requireNonNull(limits, "limits"));
    }

    /** Returns a copy of the current limits. */
    public Limits getLimits() {
        return new Limits(state.limits());
    }

    /**
     * Sets how responses are compressed ({@link Compression}): {@link Compression#OFF} (the default)
     * sends them as handlers made them; {@link Compression#DEFAULT} compresses text-like bodies of 1 KiB
     * and more with gzip or deflate for clients that accept them. A handler overrides it for its
     * response with {@link ServerMessage#setCompression}. Applies to responses whose head is written
     * after the call.
     *
     * @throws NullPointerException when {@code compression} is null
     */
    public void setCompression(Compression compression) {
        state.setCompression(Objects.requireNonNull(compression, "compression"));
    }

    /** Returns the server's compression setting; {@link Compression#OFF} unless set. */
    public Compression getCompression() {
        return state.compression();
    }

    // ---- handlers ------------------------------------------------------------------------------

    /**
     * Adds (or replaces) the normal handler for requests under {@code path}. It runs after the request
     * body was read, unless an earlier step set a status.
     *
     * @param path the path prefix; null or {@code "/"} for the default handler, {@code "*"} for
     *     {@code OPTIONS *}
     * @throws IllegalArgumentException when the path neither starts with {@code /} nor is {@code *}
     */
    public void addHandler(String path, ServerCallback callback) {
        Objects.requireNonNull(callback, "callback");
        String p = PathMap.normalize(path);
        state.handlers.update(p, e -> e.withNormal(callback));
    }

    /**
     * Adds (or replaces) the early handler for requests under {@code path}. It runs right after the
     * headers were read and the auth domains agreed, before the body is read: the place to turn off
     * {@linkplain dev.ladle.http.MessageBody#setAccumulate(boolean) accumulation} and stream the body, or
     * to reject a request before its body is sent.
     */
    public void addEarlyHandler(String path, ServerCallback callback) {
        Objects.requireNonNull(callback, "callback");
        String p = PathMap.normalize(path);
        state.handlers.update(p, e -> e.withEarly(callback));
    }

    /**
     * Adds (or replaces) a WebSocket handler for requests under {@code path}. A request that reaches
     * the WebSocket step with no status set is checked as a WebSocket handshake and, when valid,
     * answered with 101; the callback then gets the open connection.
     *
     * @param origin the {@code Origin} the client must send (compared case-insensitively), or null for any
     * @param protocols the sub-protocols the handler speaks, most preferred first, or null for no check
     */
    public void addWebSocketHandler(String path, String origin, List<String> protocols, WebSocketCallback callback) {
        Objects.requireNonNull(callback, "callback");
        String p = PathMap.normalize(path);
        HandlerEntry.WebSocketEndpoint endpoint = new HandlerEntry.WebSocketEndpoint(origin,
                protocols == null ? null : List.copyOf(protocols), callback);
        state.handlers.update(p, e -> e.withWebSocket(endpoint));
    }

    /**
     * Adds (or replaces) a WebSocket handler for requests under {@code path} that accepts every client:
     * the same as {@link #addWebSocketHandler(String, String, List, WebSocketCallback)
     * addWebSocketHandler(path, null, null, callback)}. Any {@code Origin} is accepted, and so is a
     * request without one; sub-protocols the client offers ({@code Sec-WebSocket-Protocol}) are not
     * checked and none is chosen, so the response names none and {@link
     * dev.ladle.websocket.WebSocketConnection#getProtocol()} is null. Everything else is checked as
     * usual: a valid handshake (HTTP/1.1 Upgrade, or an extended CONNECT over HTTP/2, RFC 8441), the
     * server's WebSocket extensions, the auth domains that cover the path, and {@code 503} while the
     * server drains.
     *
     * <p>A browser page from any site may open such a WebSocket with the user's cookies: use the
     * four-argument form with an origin for endpoints that rely on cookies for authentication.
     *
     * @param path the path prefix; null or {@code "/"} for every path
     * @throws IllegalArgumentException when the path does not start with {@code /}
     */
    public void addWebSocketHandler(String path, WebSocketCallback callback) {
        addWebSocketHandler(path, null, null, callback);
    }

    /** Removes every handler (early, normal and WebSocket) registered at exactly {@code path}. */
    public void removeHandler(String path) {
        state.handlers.remove(PathMap.normalize(path));
    }

    /**
     * Accepts the WebSocket extension implemented by {@code extensionType} in handshakes. The class needs
     * a public no-argument constructor.
     */
    public void addWebSocketExtension(Class<? extends WebSocketExtension> extensionType) {
        Objects.requireNonNull(extensionType, "extensionType");
        try {
            extensionType.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(extensionType.getName() + " has no public no-argument constructor", e);
        }
        if (!state.webSocketExtensions.contains(extensionType)) {
            state.webSocketExtensions.add(extensionType);
        }
    }

    /** Stops accepting the WebSocket extension {@code extensionType} and its subclasses. */
    public void removeWebSocketExtension(Class<?> extensionType) {
        state.webSocketExtensions.removeIf(extensionType::isAssignableFrom);
    }

    /** Returns the accepted WebSocket extension types, in the order added. */
    public List<Class<? extends WebSocketExtension>> getWebSocketExtensions() {
        return List.copyOf(state.webSocketExtensions);
    }

    /**
     * Adds a body codec for {@link ServerMessage#getRequestBodyAs} and
     * {@link ServerMessage#setResponseValue}: it is asked before every codec added earlier and before the
     * built-in text, bytes and form codecs, so it can take over their types. Safe while serving.
     *
     * @throws NullPointerException when {@code codec} is null
     */
    public void addBodyCodec(dev.ladle.codec.BodyCodec codec) {
        state.bodyCodecs.add(codec);
    }

    /** Returns the body codecs in the order they are asked: the latest added first, the built-in ones last. */
    public List<dev.ladle.codec.BodyCodec> getBodyCodecs() {
        return state.bodyCodecs.list();
    }

    /**
     * Adds an auth domain; domains are consulted in the order added.
     *
     * <p>A server domain covers only the paths it was given ({@link AuthDomain#addPath}, or the paths of
     * its constructor), so one without any protects nothing. The server logs a {@code WARNING} for such
     * a domain, once per domain: here when the server listens already, otherwise when it starts
     * listening. Give a domain its paths before either. (Proxy domains, and domains whose class
     * overrides {@link AuthDomain#covers}, decide coverage without paths and are not warned about.)
     */
    public void addAuthDomain(AuthDomain domain) {
        state.authDomains.add(Objects.requireNonNull(domain, "domain"));
        if (!listeners.isEmpty()) {
            state.warnings.checkCoverage(domain);
        }
    }

    /** Removes an auth domain. */
    public void removeAuthDomain(AuthDomain domain) {
        state.authDomains.remove(domain);
    }

    // ---- listening -----------------------------------------------------------------------------

    /**
     * Listens on {@code address}: an {@link InetSocketAddress} (IPv4 or IPv6; an IPv6 address accepts
     * IPv6 clients only) or a {@link UnixDomainSocketAddress}. Port 0 picks a free port.
     *
     * @throws IOException when the address cannot be bound; the message names the address
     * @throws IllegalStateException when {@code HTTPS} is asked for and no certificate is set
     * @throws UnsupportedOperationException when {@link ListenOption#REUSE_PORT} is asked for on a platform
     *     without {@code SO_REUSEPORT}
     * @throws IllegalArgumentException when {@link ListenOption#REUSE_PORT} is asked for on a Unix-domain address
     */
    public void listen(SocketAddress address, Set<ListenOption> options) throws IOException {
        Objects.requireNonNull(address, "address");
        Set<ListenOption> opts = options(options);
        checkHttps(opts);
        ServerSocketChannel channel = bind(address, opts);
        boolean ipv6Only = address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
        addListener(channel, opts, ipv6Only, List.of());
    }

    /**
     * Listens on the loopback addresses {@code 127.0.0.1} and {@code ::1} (each alone with
     * {@code IPV4_ONLY} or {@code IPV6_ONLY}) on {@code port}; port 0 picks a free port, the same for both.
     */
    public void listenLocal(int port, Set<ListenOption> options) throws IOException {
        listenPair(port, options, InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"), true);
    }

    /**
     * Listens on all interfaces, {@code 0.0.0.0} and {@code ::} (each alone with {@code IPV4_ONLY} or
     * {@code IPV6_ONLY}), on {@code port}; port 0 picks a free port.
     *
     * <p>The JDK cannot make an IPv6-only socket, so without options Ladle binds one dual-stack socket
     * on {@code ::} that serves both families and reports both URIs; with {@code IPV6_ONLY} it refuses
     * IPv4 clients of that socket itself.
     */
    public void listenAll(int port, Set<ListenOption> options) throws IOException {
        listenPair(port, options, InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::"), false);
    }

    private void listenPair(int port, Set<ListenOption> options, InetAddress v4, InetAddress v6, boolean separate)
            throws IOException {
        Set<ListenOption> opts = options(options);
        checkHttps(opts);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        boolean v4Only = opts.contains(ListenOption.IPV4_ONLY);
        boolean v6Only = opts.contains(ListenOption.IPV6_ONLY);
        if (v4Only && v6Only) {
            throw new IllegalArgumentException("IPV4_ONLY and IPV6_ONLY exclude each other");
        }
        if (v4Only) {
            addListener(bind(new InetSocketAddress(v4, port), opts), opts, false, List.of());
            return;
        }
        if (v6Only) {
            addListener(bind(new InetSocketAddress(v6, port), opts), opts, true, List.of());
            return;
        }
        if (!separate) {
            ServerSocketChannel dual;
            try {
                dual = bind(new InetSocketAddress(v6, port), opts);
            } catch (IOException e) {
                // no IPv6 on this host: IPv4 alone
                addListener(bind(new InetSocketAddress(v4, port), opts), opts, false, List.of());
                return;
            }
            int bound = ((InetSocketAddress) dual.getLocalAddress()).getPort();
            addListener(dual, opts, false, List.of(new InetSocketAddress(v4, bound)));
            return;
        }
        ServerSocketChannel first = bind(new InetSocketAddress(v4, port), opts);
        int bound = ((InetSocketAddress) first.getLocalAddress()).getPort();
        ServerSocketChannel second;
        try {
            second = bind(new InetSocketAddress(v6, bound), opts);
        } catch (IOException e) {
            if (port != 0) {
                first.close();
                throw e;
            }
            // the IPv6 twin of a free IPv4 port was taken, or there is no IPv6: keep IPv4 alone
            addListener(first, opts, false, List.of());
            return;
        }
        addListener(first, opts, false, List.of());
        addListener(second, opts, true, List.of());
    }

    /**
     * Serves connections accepted on {@code channel}, an already bound server socket (for example from
     * {@code System.inheritedChannel()}, or a Unix-domain one). The server closes it on
     * {@link #disconnect()}.
     */
    public void listenSocket(ServerSocketChannel channel, Set<ListenOption> options) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Set<ListenOption> opts = options(options);
        checkHttps(opts);
        if (opts.contains(ListenOption.REUSE_PORT)) {
            throw new IllegalArgumentException("ListenOption.REUSE_PORT cannot apply to a channel that is already bound:"
                    + " set StandardSocketOptions.SO_REUSEPORT on it before binding");
        }
        if (channel.getLocalAddress() == null) {
            throw new IOException("listenSocket: the channel is not bound");
        }
        channel.configureBlocking(true);
        addListener(channel, opts, false, List.of());
    }

    /**
     * Serves one already-connected connection given as two streams, on a new virtual thread, until the
     * client closes it or the server is {@linkplain #close() closed}. Requests on it are never TLS.
     *
     * @param local the local address to report, or null
     * @param remote the client's address to report, or null
     */
    public void acceptStream(InputStream in, OutputStream out, SocketAddress local, SocketAddress remote) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        HttpConnection.start(state, new StreamTransport(in, out, local, remote, null), true);
    }

    private static Set<ListenOption> options(Set<ListenOption> options) {
        return options == null || options.isEmpty() ? EnumSet.noneOf(ListenOption.class) : EnumSet.copyOf(options);
    }

    private void checkHttps(Set<ListenOption> options) {
        if (options.contains(ListenOption.HTTPS) && !isHttps()) {
            throw new IllegalStateException("cannot listen with HTTPS: no TLS certificate set (call setTlsCertificate"
                    + " or addTlsCertificate first)");
        }
    }

    private static ServerSocketChannel bind(SocketAddress address, Set<ListenOption> options) throws IOException {
        boolean reusePort = options.contains(ListenOption.REUSE_PORT);
        if (reusePort && address instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException("ListenOption.REUSE_PORT applies to TCP listeners, not to the Unix-domain socket "
                    + address);
        }
        ServerSocketChannel channel = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open(((InetSocketAddress) address).getAddress() instanceof Inet4Address
                        ? java.net.StandardProtocolFamily.INET : java.net.StandardProtocolFamily.INET6);
        try {
            if (address instanceof InetSocketAddress) {
                channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (reusePort) {
                if (!channel.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("ListenOption.REUSE_PORT: this platform ("
                            + System.getProperty("os.name") + ") has no SO_REUSEPORT for server sockets");
                }
                channel.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, 1024);
            return channel;
        } catch (UnsupportedOperationException e) {
            channel.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + describe(address) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() instanceof Inet6Address
                    ? "[" + inet.getAddress().getHostAddress() + "]" : inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        return address.toString();
    }

    private void addListener(ServerSocketChannel channel, Set<ListenOption> options, boolean ipv6Only,
                             List<InetSocketAddress> alsoReported) {
        listenLock.lock();
        try {
            Listener listener = new Listener(state, channel, options.contains(ListenOption.HTTPS),
                    options.contains(ListenOption.PROXY_PROTOCOL), ipv6Only, alsoReported);
            listeners.add(listener);
            state.setListening(true);
            listener.start();
            for (AuthDomain domain : state.authDomains) {
                state.warnings.checkCoverage(domain);
            }
        } finally {
            listenLock.unlock();
        }
    }

    /**
     * Returns one URI per listening address, with the real port and {@code http} or {@code https}:
     * IP addresses, not names ({@code 0.0.0.0} and {@code [::]} after {@link #listenAll}). A Unix-domain
     * listener is reported as {@code http+unix://<percent-encoded path>/}.
     */
    public List<URI> getUris() {
        List<URI> uris = new ArrayList<>();
        for (Listener listener : listeners) {
            uris.addAll(listener.uris());
        }
        return List.copyOf(uris);
    }

    /**
     * Returns the TCP port the server listens on: that of its first TCP listener, in the order the
     * listeners were added. {@link #listenLocal} and {@link #listenAll} bind every address they listen
     * on to one port, so after {@code listenLocal(0, ...)} this is the port the system picked. With
     * listeners on several ports, use {@link #getPorts()} or {@link #getUris()}.
     *
     * @throws IllegalStateException when the server does not listen, or listens only on Unix-domain
     *     sockets, which have no port
     */
    public int getPort() {
        List<Integer> ports = getPorts();
        if (!ports.isEmpty()) {
            return ports.get(0);
        }
        if (listeners.isEmpty()) {
            throw new IllegalStateException("getPort: the server is not listening (call listen, listenLocal, listenAll"
                    + " or listenSocket first; disconnect and close end listening)");
        }
        throw new IllegalStateException("getPort: the server listens only on Unix-domain sockets, which have no port: "
                + getUris());
    }

    /**
     * Returns the port of each TCP listener, in the order the listeners were added (as
     * {@link #getListeners()}), leaving out Unix-domain ones: one entry per bound socket, so the two
     * sockets of {@code listenLocal} give the same port twice. Empty when the server does not listen.
     */
    public List<Integer> getPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Listener listener : listeners) {
            try {
                if (listener.channel().getLocalAddress() instanceof InetSocketAddress inet) {
                    ports.add(inet.getPort());
                }
            } catch (IOException e) {
                // closed by disconnect() at this moment: no longer a listener
            }
        }
        return List.copyOf(ports);
    }

    /**
     * Returns the number of open client connections, including idle keep-alive ones (which wait without a
     * thread of their own once quiet for a moment) and those given to {@link #acceptStream}; stolen
     * connections no longer count.
     */
    public int getConnectionCount() {
        return state.connections.size();
    }

    /**
     * Returns a live, read-only view of what the server did: connections open and accepted, responses
     * by status class, body bytes, WebSockets open, TLS handshake failures, and what the resource caps
     * of {@link Limits} refused.
     */
    public ServerStatistics getStatistics() {
        return statistics;
    }

    /** Returns the listening channels, in the order added; treat them as read-only. */
    public List<ServerSocketChannel> getListeners() {
        List<ServerSocketChannel> channels = new ArrayList<>();
        for (Listener listener : listeners) {
            channels.add(listener.channel());
        }
        return List.copyOf(channels);
    }

    /**
     * Closes all listeners. Requests in flight finish and their connections then close; idle
     * keep-alive connections close now. Connections given to {@link #acceptStream} are not affected.
     * The server may listen again afterwards.
     */
    public void disconnect() {
        listenLock.lock();
        try {
            for (Listener listener : listeners) {
                listener.close();
            }
            listeners.clear();
            state.setListening(false);
        } finally {
            listenLock.unlock();
        }
        state.connections.drain(false);
    }

    /**
     * Disconnects, then ends every connection: idle ones at once, busy ones after their current response
     * (which says {@code Connection: close}; WebSockets get close code 1001, HTTP/2 connections GOAWAY)
     * or, at the latest, after {@link Limits#getShutdownTimeout()}. Then the connections still busy are
     * closed and the threads serving their requests interrupted, so that a handler blocked in an
     * interruptible wait ends too; a handler that ignores interrupts keeps its thread until it returns.
     * Returns when every connection ended, or at most a second after the shutdown timeout.
     *
     * <p>A {@linkplain #startDraining() draining} server stays draining until {@code close()} returns
     * (its health handlers answer 503 to the end), then is no longer: it may listen again and serve as
     * new. A {@link #drain} waiting out its grace on another thread stops waiting.
     */
    @Override
    public void close() {
        draining.closing(this::closeConnections);
    }

    private void closeConnections() {
        disconnect();
        state.connections.drain(true);
        try {
            if (!state.connections.awaitEmpty(state.limits().getShutdownTimeout().toMillis())) {
                LOG.log(System.Logger.Level.DEBUG, "close: cutting {0} connections still busy", state.connections.size());
                state.connections.closeAll();
                state.connections.awaitEmpty(1000);
            }
            // the thread that idle connections waited in ends with the last of them
            state.awaitIdleSelectorEnd(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.connections.closeAll();
        }
    }

    // ---- draining ------------------------------------------------------------------------------

    /**
     * Starts draining: the server is about to close and says so to clients and load balancers, while it
     * still accepts and serves connections. From now on:
     * <ul>
     *   <li>{@link #isDraining()} is true, and handlers added with {@link #addHealthHandler} answer
     *       {@code 503}, so that a balancer's health checks fail and it sends new clients elsewhere;</li>
     *   <li>every HTTP/1 response says {@code Connection: close} and its connection closes after it, on
     *       connections open now and accepted later alike. A keep-alive connection idle between
     *       requests stays open for its next request rather than close now: a client (a balancer
     *       reusing its pooled connection) may be sending one on it at this very moment, which would go
     *       unanswered; {@link #close()} ends those still idle after the grace;</li>
     *   <li>each HTTP/2 connection gets GOAWAY ({@code NO_ERROR}, the last stream it opened): streams in
     *       flight finish, later ones go elsewhere; a connection accepted while draining gets it with
     *       its first request;</li>
     *   <li>each WebSocket gets close code 1001 (going away); a new WebSocket handshake gets
     *       {@code 503}, which a balancer may retry on another instance;</li>
     *   <li>the listeners stay open and keep accepting, so that clients the balancer still sends (until
     *       its checks fail) are served rather than refused.</li>
     * </ul>
     * Calling it again does nothing more. The state ends with {@link #close()}; there is no way back
     * short of that. Listening on new addresses while draining is allowed; they drain too.
     */
    public void startDraining() {
        draining.start();
    }

    /**
     * Returns true from {@link #startDraining()} (or {@link #drain}) until {@link #close()} returned: for
     * a handler of the user's that reports health or readiness its own way.
     */
    public boolean isDraining() {
        return draining.isDraining();
    }

    /**
     * Drains for {@code grace}, then closes: {@link #startDraining()}, a wait of {@code grace} with the
     * listeners open (long enough for the balancer's health checks to fail: HAProxy needs
     * {@code inter × fall}), then {@link #close()}, which gives the requests still in flight up to
     * {@link Limits#getShutdownTimeout()} more. So the whole takes at most {@code grace} plus the
     * shutdown timeout plus about a second. Blocks the calling thread throughout; a {@link #close()}
     * from another thread ends the wait early. When the calling thread is interrupted, the wait ends,
     * the server closes and the interrupt status is set again.
     *
     * @param grace how long the listeners stay open while draining; zero closes at once
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    public void drain(Duration grace) {
        draining.drain(grace, this::close);
    }

    /**
     * Adds (or replaces) a handler at {@code path} for a load balancer's health checks: {@code GET} and
     * {@code HEAD} get {@code 200} with {@code ok} while the server serves, {@code 503} with
     * {@code draining} once it {@linkplain #startDraining() drains}; other methods get {@code 405}.
     * Responses are {@code text/plain} with {@code Cache-Control: no-store}. Like any handler it covers
     * the paths below {@code path} too, and auth domains covering it apply: exempt it with
     * {@link AuthDomain#removePath}.
     *
     * @throws IllegalArgumentException when the path does not start with {@code /}
     */
    public void addHealthHandler(String path) {
        addHandler(path, Draining.healthHandler(path));
    }

    // ---- TLS -----------------------------------------------------------------------------------

    /**
     * Returns true when a TLS certificate is set, the default or one for a server name, so that https
     * listeners are possible.
     */
    public boolean isHttps() {
        return !state.tlsCertificates().isEmpty();
    }

    /**
     * Sets the default certificate of https listeners (null for none): the one for clients that send no
     * server name (SNI) or one that no certificate added with {@link #addTlsCertificate} matches. A new
     * one applies to connections accepted afterwards.
     */
    public void setTlsCertificate(TlsCertificate certificate) {
        state.setTlsCertificate(certificate);
    }

    /** Returns the default TLS certificate, or null. */
    public TlsCertificate getTlsCertificate() {
        return state.tlsCertificate();
    }

    /** Sets the trust database used to verify client certificates (null: the system's). */
    public void setTlsDatabase(TlsDatabase database) {
        state.setTlsDatabase(database);
    }

    /** Returns the trust database, or null. */
    public TlsDatabase getTlsDatabase() {
        return state.tlsDatabase();
    }

    /** Sets whether https listeners ask for client certificates. */
    public void setTlsAuthMode(TlsAuthMode mode) {
        state.setTlsAuthMode(Objects.requireNonNull(mode, "mode"));
    }

    /** Returns the client-certificate mode. */
    public TlsAuthMode getTlsAuthMode() {
        return state.tlsAuthMode();
    }

    // TLS client-certificate revocation

    /**
     * Sets how client certificates are checked for revocation (CRL files, OCSP) when the
     * {@linkplain #setTlsAuthMode mode} asks for them. A revoked certificate is refused under
     * {@code REQUIRED} and served with {@link dev.ladle.tls.TlsCertificateFlag#REVOKED} under
     * {@code REQUESTED}; {@link ServerMessage#getTlsPeerCertificateRevocation()} tells why. The setting
     * applies to connections accepted afterwards; set a new instance (for example
     * {@link TlsRevocation#reload()}) to load newer CRLs.
     *
     * @param revocation the settings; null or {@link TlsRevocation#NONE} for no checking (the default)
     */
    public void setTlsRevocation(TlsRevocation revocation) {
        state.setTlsRevocation(revocation == null ? TlsRevocation.NONE : revocation);
    }

    /** Returns how client certificates are checked for revocation: {@link TlsRevocation#NONE} when they are not. */
    public TlsRevocation getTlsRevocation() {
        return state.tlsRevocation();
    }

    // TLS: certificates by server name (SNI)

    /**
     * Adds {@code certificate} for each DNS name in the subjectAltName of its leaf certificate, wildcards
     * included; see {@link #addTlsCertificate(String, TlsCertificate)} for how names are matched. IP
     * addresses in the subjectAltName are left out: clients never send one as a server name. A
     * certificate without a DNS name can still be the default or be added under an explicit name.
     *
     * @throws IllegalArgumentException naming the certificate when its subjectAltName holds no DNS name
     *     or one that is not a valid host name or wildcard; nothing is added then
     */
    public void addTlsCertificate(TlsCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        state.updateTlsCertificates(certificates -> certificates.with(null, certificate));
    }

    /**
     * Serves {@code certificate} on https listeners to clients that ask for {@code serverName} in their
     * TLS handshake (SNI), whatever names the certificate itself holds. Applies to connections accepted
     * afterwards.
     *
     * <p>Names are compared case-insensitively; an internationalized name is kept in its ASCII (A-label)
     * form, as clients send it ({@code bücher.example} becomes {@code xn--bcher-kva.example}). A wildcard
     * {@code *.example.com} matches exactly one more label ({@code www.example.com}, not
     * {@code example.com} nor {@code a.b.example.com}, RFC 6125); an exact name wins over a wildcard.
     * A client whose name matches nothing, or that sends none, gets the {@linkplain #setTlsCertificate
     * default certificate}, or without one the certificates of the name added first (as nginx's first
     * server).
     *
     * <p>A name holds one certificate per key type ({@code RSA}, {@code EC}, {@code EdDSA}): the JDK
     * offers the one the client's signature algorithms prefer, so an RSA and an ECDSA certificate for the
     * same name each reach the clients that want them. Adding a certificate of a type the name already
     * has replaces the old one: that is how one name's certificate is rotated, leaving the others as
     * they are. A matching name without a certificate the client can use fails the handshake rather than
     * present another name's certificate; the default serves only names that match nothing.
     *
     * @param serverName a host name, or {@code *.} followed by one
     * @throws IllegalArgumentException naming the name when it is neither
     */
    public void addTlsCertificate(String serverName, TlsCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        List<String> names = List.of(Objects.requireNonNull(serverName, "serverName"));
        state.updateTlsCertificates(certificates -> certificates.with(names, certificate));
    }

    /**
     * Removes every certificate added for exactly {@code serverName} (compared as in
     * {@link #addTlsCertificate(String, TlsCertificate)}: removing {@code *.example.com} leaves
     * {@code www.example.com}); the default certificate stays. Applies to connections accepted afterwards.
     *
     * @return true when there were certificates for the name
     * @throws IllegalArgumentException when the name is neither a host name nor a wildcard
     */
    public boolean removeTlsCertificates(String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        boolean[] removed = new boolean[1];
        state.updateTlsCertificates(certificates -> {
            ServerCertificates without = certificates.without(serverName);
            removed[0] = without != certificates;
            return without;
        });
        return removed[0];
    }

    /**
     * Returns the certificates added by server name: each name (lower case, A-labels, wildcards as
     * {@code *.example.com}) with its certificates, one per key type, names in the order first added.
     * The default certificate is not in it unless it was also added by name. An unmodifiable snapshot.
     */
    public Map<String, List<TlsCertificate>> getTlsCertificates() {
        return state.tlsCertificates().byName();
    }

    // TLS profiles

    /**
     * Sets the TLS versions and cipher suites https listeners offer, in the server's order of
     * preference; the default is {@link TlsProfile#INTERMEDIATE}. A new profile applies to connections
     * accepted afterwards.
     *
     * @throws NullPointerException when {@code profile} is null
     */
    public void setTlsProfile(TlsProfile profile) {
        state.setTlsProfile(Objects.requireNonNull(profile, "profile"));
    }

    /** Returns the TLS profile in use (never null). */
    public TlsProfile getTlsProfile() {
        return state.tlsProfile();
    }

    // TLS: Strict-Transport-Security

    /**
     * Sends {@code Strict-Transport-Security: max-age=SECONDS} (RFC 6797), followed by
     * {@code ; includeSubDomains} when asked, on every response over TLS: handlers' answers and the
     * error responses the server makes itself alike; never on plain http, where browsers ignore it. A
     * request that trusted proxies forwarded from an https client ({@link #setTrustedProxies}) counts as
     * over TLS once its head is read. It
     * is set before handlers run, so a handler may replace or remove it. Off by default.
     *
     * @param maxAge how long browsers keep to https for this host, in whole seconds; zero tells them to
     *     forget it; null turns the field off
     * @param includeSubDomains whether the rule also covers every subdomain of the host
     * @throws IllegalArgumentException when {@code maxAge} is negative
     */
    public void setStrictTransportSecurity(Duration maxAge, boolean includeSubDomains) {
        if (maxAge == null) {
            state.setStrictTransportSecurity(null);
            return;
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("Strict-Transport-Security max-age must not be negative, got " + maxAge);
        }
        state.setStrictTransportSecurity("max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : ""));
    }

    /** Returns the {@code Strict-Transport-Security} value sent on https responses, or null when none is. */
    public String getStrictTransportSecurity() {
        return state.strictTransportSecurity();
    }

    // ---- pausing (deprecated forms) --------------------------------------------------------------

    /**
     * Pauses {@code msg}.
     *
     * @deprecated use {@link ServerMessage#pause()}
     */
    @Deprecated
    public void pauseMessage(ServerMessage msg) {
        msg.pause();
    }

    /**
     * Unpauses {@code msg}.
     *
     * @deprecated use {@link ServerMessage#unpause()}
     */
    @Deprecated
    public void unpauseMessage(ServerMessage msg) {
        msg.unpause();
    }

    // ---- events --------------------------------------------------------------------------------

    /**
     * Calls {@code listener} when a request starts: when its first byte arrives (for a TLS connection's
     * first request, when the connection is accepted, before the handshake).
     */
    public Subscription onRequestStarted(Consumer<ServerMessage> listener) {
        return subscribe(startedListeners, listener);
    }

    /** Calls {@code listener} when a request's headers and body were read, before the normal handler. */
    public Subscription onRequestRead(Consumer<ServerMessage> listener) {
        return subscribe(readListeners, listener);
    }

    /** Calls {@code listener} when a response was written completely. */
    public Subscription onRequestFinished(Consumer<ServerMessage> listener) {
        return subscribe(finishedListeners, listener);
    }

    /** Calls {@code listener} when an exchange was cut short (the client left, a write failed). */
    public Subscription onRequestAborted(Consumer<ServerMessage> listener) {
        return subscribe(abortedListeners, listener);
    }

    private static Subscription subscribe(List<Consumer<ServerMessage>> list, Consumer<ServerMessage> listener) {
        Objects.requireNonNull(listener, "listener");
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** Called when a request starts; the default emits {@link #onRequestStarted} listeners. */
    protected void requestStarted(ServerMessage msg) {
        emit(startedListeners, msg);
    }

    /** Called when a request was read; the default emits {@link #onRequestRead} listeners. */
    protected void requestRead(ServerMessage msg) {
        emit(readListeners, msg);
    }

    /** Called when a response was written; the default emits {@link #onRequestFinished} listeners. */
    protected void requestFinished(ServerMessage msg) {
        emit(finishedListeners, msg);
    }

    /** Called when an exchange was aborted; the default emits {@link #onRequestAborted} listeners. */
    protected void requestAborted(ServerMessage msg) {
        emit(abortedListeners, msg);
    }

    private static void emit(List<Consumer<ServerMessage>> list, ServerMessage msg) {
        if (list.isEmpty()) {
            return; // no iterator for nobody: this runs three times per request
        }
        for (Consumer<ServerMessage> listener : list) {
            listener.accept(msg);
        }
    }

    /** Connects the engine's events to the overridable methods. */
    private final class Events implements ServerEvents {
        @Override
        public void requestStarted(ServerMessage msg) {
            Server.this.requestStarted(msg);
        }

        @Override
        public void requestRead(ServerMessage msg) {
            Server.this.requestRead(msg);
        }

        @Override
        public void requestFinished(ServerMessage msg) {
            Server.this.requestFinished(msg);
        }

        @Override
        public void requestAborted(ServerMessage msg) {
            Server.this.requestAborted(msg);
        }
    }

    /** Returns the engine state (for the TLS and WebSocket layers of this module). */
    ServerState state() {
        return state;
    }
}
