package dev.ladle.junit;

import dev.ladle.http.Forms;
import dev.ladle.http.MessageBody;
import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonValue;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A real HTTP server for tests, on a free loopback port: answers requests from stubs or a queue of
 * responses, records every request, and checks what was asked. It is a Ladle {@link Server}
 * underneath, reachable through {@link #server()} for anything the mock API does not cover (auth
 * domains, WebSocket handlers, limits).
 *
 * <pre>{@code
 * try (MockServer server = MockServer.start()) {
 *     server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
 *     String name = myClient(server.uri()).fetchName(7);
 *     server.verify(1, "GET", "/users/7");
 * }
 * }</pre>
 *
 * <p><b>Answering.</b> A request is answered by the newest stub that matches it (so a test can override
 * a stub set up earlier; a stub from a mapping file may have a {@linkplain Stub#priority() priority}
 * that ranks it first), else by the next {@linkplain #enqueue enqueued} response, else by a real
 * server when {@linkplain #proxyUnmatchedTo proxying}, else with {@code 404} and a body that lists the
 * stubs. Each request is recorded before its answer is written: once a client has its response, the
 * request is in {@link #requests()}.
 *
 * <p><b>Mapping files.</b> Stubs can also come from JSON mapping files in a subset of WireMock's format
 * ({@link #loadMappings}, {@link #addMapping}), be {@linkplain #startRecording recorded} from a real
 * server, and be {@linkplain #saveMappings saved} as such files to replay later.
 *
 * <p><b>Protocols.</b> Like the Ladle server underneath, the mock speaks HTTP/2 as well as HTTP/1.1:
 * over {@linkplain Builder#https() HTTPS} it offers {@code h2} through ALPN, and on plain HTTP it takes
 * h2c from clients that start with the HTTP/2 preface (prior knowledge, e.g. OkHttp's
 * {@code H2_PRIOR_KNOWLEDGE}); other clients get HTTP/1.1. Stubs answer either the same way, and
 * {@link RecordedRequest#version()} says which one a request came over. {@link Builder#http1Only()}
 * turns HTTP/2 off.
 *
 * <p>Thread-safe: stubs may be added while requests arrive. Each request runs on its own virtual
 * thread, so slow answers ({@link MockResponse#withDelay}) do not hold up other clients.
 */
public final class MockServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MockServer.class.getName());
    private static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} lets answers being written finish before it cuts their connections. */
    private static final Duration CLOSE_GRACE = Duration.ofMillis(100);

    private final Server server;
    private final URI baseUri;
    private final List<Stub> stubs = new CopyOnWriteArrayList<>();
    private final Queue<MockResponse> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> journal = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, MockWebSocket> webSockets = new ConcurrentHashMap<>();
    private final Scenarios scenarios = new Scenarios();
    /** Held while a request picks its stub, so a scenario's state is read and moved on atomically. */
    private final ReentrantLock choosing = new ReentrantLock();

    /** The state every {@linkplain Stubbing#inScenario scenario} starts in (WireMock's name for it). */
    public static final String SCENARIO_STARTED = "Started";
    /** Stubbings begun and not yet finished with {@code respond}: a mistake reported loudly. */
    private final Set<Stubbing> unfinished = ConcurrentHashMap.newKeySet();
    private final UnseenRequestWatcher unseen;
    private final ResponsePlayer player = new ResponsePlayer(failures::add);
    /** How long a request forwarded to a real server may take, connecting included. */
    private static final Duration PROXY_TIMEOUT = Duration.ofSeconds(30);
    private final ProxyForwarder forwarder = new ProxyForwarder(PROXY_TIMEOUT);
    /** Where unmatched requests go, or null: they get 404. */
    private volatile UnmatchedProxy proxy;
    /** The proxy to go back to when a recording stops. */
    private UnmatchedProxy proxyBeforeRecording;
    /** Held while a stub is put in its place by priority, and while the proxy changes. */
    private final ReentrantLock editing = new ReentrantLock();

    private MockServer(Server server, boolean https, InetSocketAddress address) throws IOException {
        this.server = server;
        server.addHandler("/", this::handle);
        this.unseen = new UnseenRequestWatcher(server, (msg, verdict) -> record(snapshotUnseen(msg)
                .answered(verdict.status(), verdict.matchedBy(), verdict.answeredBy())));
        server.addEarlyHandler("/", this::beforeBody);
        Set<ListenOption> options = EnumSet.of(ListenOption.IPV4_ONLY);
        if (https) {
            options.add(ListenOption.HTTPS);
        }
        if (address == null) {
            server.listenLocal(0, options);
        } else {
            options.remove(ListenOption.IPV4_ONLY);
            server.listen(address, options);
        }
        this.baseUri = server.getUris().get(0);
    }

    /** Starts a plain-HTTP mock server on a free port of {@code 127.0.0.1}. */
    public static MockServer start() {
        return builder().start();
    }

    /** A builder for a server with HTTPS or its own settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets up a {@link MockServer} before it starts. */
    public static final class Builder {
        private TlsCertificate certificate;
        private Consumer<Server> configuration = s -> { };
        private boolean http1Only;
        private TlsAuthMode clientAuth = TlsAuthMode.NONE;
        private TlsDatabase clientTrust;
        private InetSocketAddress address;
        private URI proxyTarget;
        private final List<Path> mappings = new ArrayList<>();
        private boolean adminApi;

        private Builder() {
        }

        /**
         * Listens on {@code address} instead of a free port of {@code 127.0.0.1}: for a mock server that
         * other processes reach at a known port (port 0 still picks a free one).
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Forwards the requests nothing the test set up answers to the real server at {@code target}
         * (see {@link MockServer#proxyUnmatchedTo(URI)}).
         */
        public Builder proxyUnmatchedTo(URI target) {
            new UnmatchedProxy(target, null); // checks it now, where the mistake is
            this.proxyTarget = target;
            return this;
        }

        /**
         * Loads the mappings of {@code fileOrDirectory} when the server starts (see
         * {@link MockServer#loadMappings}); they are also what the admin API's resets go back to.
         * Call again for more.
         */
        public Builder mappings(Path fileOrDirectory) {
            mappings.add(Objects.requireNonNull(fileOrDirectory, "fileOrDirectory"));
            return this;
        }

        /**
         * Serves WireMock's admin API under {@code /__admin/}, for tests written in other languages: list,
         * add and remove mappings, read and clear the journal, reset scenarios and everything, record.
         * See {@link AdminApi} for the endpoints. Its requests are not journaled.
         */
        public Builder adminApi() {
            this.adminApi = true;
            return this;
        }

        /**
         * Serves HTTPS with a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}: the server
         * certificate of {@link TestCertificates#shared()}, made once per JVM; clients trust it through
         * {@link MockServer#sslContext()}.
         */
        public Builder https() {
            return https(TestCertificates.shared().serverCertificate());
        }

        /** Serves HTTPS with {@code certificate} instead of plain HTTP. */
        public Builder https(TlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /**
         * Requires a client certificate issued by a CA in {@code trusted}: the TLS handshake fails for a
         * client without one, or with one that does not verify. The chain a client presented is in
         * {@link RecordedRequest#clientCertificates()}. Needs {@link #https()} (or {@code https(cert)}).
         */
        public Builder requireClientCertificate(TlsDatabase trusted) {
            return clientCertificate(TlsAuthMode.REQUIRED, trusted);
        }

        /**
         * Asks for a client certificate issued by a CA in {@code trusted}, but serves clients without one,
         * and clients whose certificate does not verify (their chain is still recorded in
         * {@link RecordedRequest#clientCertificates()}). Needs {@link #https()} (or {@code https(cert)}).
         */
        public Builder requestClientCertificate(TlsDatabase trusted) {
            return clientCertificate(TlsAuthMode.REQUESTED, trusted);
        }

        private Builder clientCertificate(TlsAuthMode mode, TlsDatabase trusted) {
            this.clientTrust = Objects.requireNonNull(trusted, "trusted");
            this.clientAuth = mode;
            return this;
        }

        /**
         * Speaks HTTP/1.1 only: no {@code h2} through ALPN on HTTPS, and no h2c by prior knowledge on
         * plain HTTP, where an HTTP/2 preface then gets an HTTP/1.1 {@code 505}. Without it the server
         * speaks both (see the class documentation), as the Ladle server does by default.
         */
        public Builder http1Only() {
            this.http1Only = true;
            return this;
        }

        /**
         * Adjusts the underlying {@link Server} before it listens: limits, auth domains, a
         * {@code Server} header, extra handlers (a handler on a longer path takes precedence over the
         * mock's stubs).
         */
        public Builder configure(Consumer<Server> configuration) {
            this.configuration = this.configuration.andThen(Objects.requireNonNull(configuration, "configuration"));
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws IllegalStateException when it cannot listen (no loopback interface, no free port, the
         *     address is taken), or client certificates were asked for without HTTPS
         * @throws IllegalArgumentException when a mapping file is not valid (naming the file and field)
         * @throws UncheckedIOException when a mapping file cannot be read
         */
        public MockServer start() {
            if (clientAuth != TlsAuthMode.NONE && certificate == null) {
                throw new IllegalStateException("client certificates need HTTPS: call https() as well");
            }
            Server server = new Server();
            if (certificate != null) {
                server.setTlsCertificate(certificate);
            }
            if (clientAuth != TlsAuthMode.NONE) {
                server.setTlsDatabase(clientTrust);
                server.setTlsAuthMode(clientAuth);
            }
            if (http1Only) {
                server.setHttp2Enabled(false);
                server.setH2cEnabled(false);
            }
            configuration.accept(server);
            List<Mapping> initial = new ArrayList<>();
            try {
                mappings.forEach(m -> initial.addAll(MappingFiles.read(m)));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            MockServer mock;
            try {
                mock = new MockServer(server, certificate != null, address);
            } catch (IOException e) {
                server.close();
                throw new IllegalStateException("mock server could not listen on "
                        + (address == null ? "127.0.0.1" : address) + ": " + e.getMessage(), e);
            }
            initial.forEach(m -> m.register(mock));
            if (proxyTarget != null) {
                mock.proxyUnmatchedTo(proxyTarget);
            }
            if (adminApi) {
                AdminApi.install(mock, mappings);
            }
            return mock;
        }
    }

    // ---- where it is ------------------------------------------------------------------------------

    /** The base URI, {@code http://127.0.0.1:PORT/} (or https). */
    public URI uri() {
        return baseUri;
    }

    /** The URI of {@code path} (with an optional query) on this server, e.g. {@code uri("/items?page=2")}. */
    public URI uri(String path) {
        return baseUri.resolve(Checks.requirePath(path));
    }

    /** The {@code ws://} (or {@code wss://}) URI of {@code path} on this server, for WebSocket clients. */
    public URI webSocketUri(String path) {
        URI http = uri(path);
        return URI.create((http.getScheme().equals("https") ? "wss" : "ws") + http.toString().substring(http.getScheme().length()));
    }

    /** The port the server listens on. */
    public int port() {
        return baseUri.getPort();
    }

    /**
     * An {@link SSLContext} that trusts this server's certificate chain (and nothing else), for the
     * client under test: {@code HttpClient.newBuilder().sslContext(server.sslContext())}.
     *
     * @throws IllegalStateException when the server speaks plain HTTP
     */
    public SSLContext sslContext() {
        X509TrustManager trustManager = trustManager();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build a client SSLContext: " + e.getMessage(), e);
        }
    }

    /**
     * A trust manager that trusts this server's certificate chain (and nothing else), for clients that
     * take one next to their socket factory, such as OkHttp:
     * {@code builder.sslSocketFactory(server.sslContext().getSocketFactory(), server.trustManager())}.
     *
     * @throws IllegalStateException when the server speaks plain HTTP
     */
    public X509TrustManager trustManager() {
        TlsCertificate certificate = server.getTlsCertificate();
        if (!baseUri.getScheme().equals("https") || certificate == null) {
            throw new IllegalStateException("this mock server speaks plain HTTP; build it with https()");
        }
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (X509Certificate c : certificate.getCertificateChain()) {
                trusted.setCertificateEntry("mock-" + i++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's TrustManagerFactory made no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a client trust manager: " + e.getMessage(), e);
        }
    }

    /** The Ladle server underneath, for what the mock API does not cover. */
    public Server server() {
        return server;
    }

    // ---- answering --------------------------------------------------------------------------------

    /**
     * Starts a stub for requests with {@code method} (exact, e.g. {@code "GET"}) and {@code path} (exact,
     * or a prefix ending in {@code /*}); finish it with one of {@link Stubbing}'s {@code respond} methods.
     */
    public Stubbing on(String method, String path) {
        return new Stubbing(this, Objects.requireNonNull(method, "method"), path);
    }

    /**
     * Starts a stub for requests with {@code method} (null for any) whose decoded path meets
     * {@code path}, e.g. {@code on("GET", matching("/items/\\d+"))}.
     */
    public Stubbing on(String method, StringMatcher path) {
        return new Stubbing(this, method, path);
    }

    /** A stub for requests of any method to {@code path}. */
    public Stubbing onAny(String path) {
        return new Stubbing(this, null, path);
    }

    /** A stub for {@code GET path}. */
    public Stubbing onGet(String path) {
        return on("GET", path);
    }

    /** A stub for {@code POST path}. */
    public Stubbing onPost(String path) {
        return on("POST", path);
    }

    /** A stub for {@code PUT path}. */
    public Stubbing onPut(String path) {
        return on("PUT", path);
    }

    /** A stub for {@code DELETE path}. */
    public Stubbing onDelete(String path) {
        return on("DELETE", path);
    }

    /** A stub for {@code PATCH path}. */
    public Stubbing onPatch(String path) {
        return on("PATCH", path);
    }

    /**
     * Accepts WebSocket handshakes at {@code path} (any origin, any or no sub-protocol): the endpoint
     * records messages, can answer them, and gives the test each connection. The handshake request is
     * recorded like any other, matched by {@code "websocket PATH"}. Calling it again for the same path
     * returns the same endpoint.
     */
    public MockWebSocket onWebSocket(String path) {
        return webSockets.computeIfAbsent(Checks.requirePath(path), p -> {
            MockWebSocket endpoint = new MockWebSocket(p);
            server.addWebSocketHandler(p, null, null, (srv, msg, at, connection) -> {
                record(snapshot(msg, Map.of(), new byte[0], null).answered(101, "websocket " + p, null));
                endpoint.accept(connection);
            });
            return endpoint;
        });
    }

    /**
     * Queues {@code response} for the next request that no stub matches, whatever its method and path:
     * queued responses are used once each, in order.
     */
    public MockServer enqueue(MockResponse response) {
        queue.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * The stubs, the one tried first last: in order of {@linkplain Stub#priority() priority} (the
     * highest, 1, last), and among stubs of the same priority newest last.
     */
    public List<Stub> stubs() {
        return List.copyOf(stubs);
    }

    /**
     * Puts {@code stub} where it is tried in turn: before every stub of a lower priority (a higher
     * number) and, among stubs of its priority, first (the newest wins). A stub from a mapping replaces
     * the one with the same mapping id.
     */
    void add(Stub stub) {
        editing.lock();
        try {
            String id = stub.id();
            if (id != null) {
                stubs.removeIf(s -> id.equals(s.id()));
            }
            int at = stubs.size();
            while (at > 0 && stubs.get(at - 1).priority() < stub.priority()) {
                at--;
            }
            stubs.add(at, stub);
        } finally {
            editing.unlock();
        }
    }

    // ---- mapping files, proxy, recording ----------------------------------------------------------

    /**
     * Adds a stub for each mapping in {@code fileOrDirectory}: one JSON file, or every {@code *.json}
     * file under a directory (recursively, in the order of their paths; directories named
     * {@code __files} are skipped). A file holds one mapping or {@code {"mappings": [...]}}. All files
     * are read and checked before any stub is added, so a bad file adds nothing.
     *
     * <p>The format is a subset of WireMock's (so its files can be brought along):
     * <ul>
     *   <li>top level: {@code request}, {@code response}, {@code id} (or {@code uuid}; a random one when
     *       missing, and a mapping with the id of an existing stub replaces it), {@code name},
     *       {@code priority} (see {@link Stub#priority()}), {@code scenarioName},
     *       {@code requiredScenarioState}, {@code newScenarioState}; WireMock's {@code persistent} and
     *       {@code insertionIndex} are accepted and have no effect;</li>
     *   <li>{@code request}: {@code method} ({@code ANY} or missing for any), one of {@code url} (path and
     *       query, exactly as sent), {@code urlPattern} (a regular expression on them), {@code urlPath}
     *       (the decoded path), {@code urlPathPattern}; {@code headers}, {@code queryParameters} and
     *       {@code cookies}, each name with one of {@code equalTo} (and {@code caseInsensitive}),
     *       {@code contains}, {@code matches}, {@code doesNotMatch} or {@code absent}; {@code bodyPatterns}
     *       with {@code equalTo}, {@code contains}, {@code matches}, {@code doesNotMatch},
     *       {@code binaryEqualTo} (base64), {@code equalToJson} (with {@code ignoreArrayOrder},
     *       {@code ignoreExtraElements}) or {@code matchesJsonPath} (a path, or {@code expression} and one
     *       of the value matchers);</li>
     *   <li>{@code response}: {@code status}, {@code headers} (a string or an array of strings each),
     *       one of {@code body}, {@code jsonBody}, {@code base64Body} or {@code bodyFileName} (relative to
     *       a {@code __files} directory in the directory given, or next to it), {@code fixedDelayMilliseconds}
     *       or {@code delayDistribution} ({@code uniform} with {@code lower} and {@code upper},
     *       {@code lognormal} with {@code median} and {@code sigma}), and {@code fault}
     *       ({@code EMPTY_RESPONSE}, {@code CONNECTION_RESET_BY_PEER}, {@code RANDOM_DATA_THEN_CLOSE},
     *       {@code MALFORMED_RESPONSE_CHUNK}).</li>
     * </ul>
     *
     * @return the stubs added, in the order of the files
     * @throws IllegalArgumentException when the path does not exist, a file is not JSON, two mappings
     *     share an id, or anything is outside the subset: the message names the file and the field
     * @throws UncheckedIOException when a file cannot be read
     */
    public List<Stub> loadMappings(Path fileOrDirectory) {
        List<Mapping> mappings = MappingFiles.read(Objects.requireNonNull(fileOrDirectory, "fileOrDirectory"));
        return mappings.stream().map(m -> m.register(this)).toList();
    }

    /**
     * Adds the stub one mapping describes, in the format of {@link #loadMappings} ({@code bodyFileName}
     * aside: there is no directory to look in).
     *
     * @throws IllegalArgumentException when it is not JSON or is outside the subset, naming the field
     */
    public Stub addMapping(String mappingJson) {
        JsonValue json;
        try {
            json = Json.parse(Objects.requireNonNull(mappingJson, "mappingJson"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping: not valid JSON: " + e.getMessage(), e);
        }
        return Mapping.read(MappingFields.top(json, "mapping"), null).register(this);
    }

    /**
     * Writes one file per stub that has a {@linkplain Stub#mapping() mapping} (loaded, added or recorded)
     * into {@code directory}, made if missing, in the order they were added, so that loading the
     * directory back gives the same stubs; a file of the same name is replaced, others are left alone.
     * Stubs made in code ({@code onGet(...)} and the like) are <b>not saved</b>: their conditions may be
     * any Java predicate, which a mapping file cannot hold; a warning names them.
     *
     * @return the files written
     * @throws UncheckedIOException when the directory or a file cannot be written
     */
    public List<Path> saveMappings(Path directory) {
        Objects.requireNonNull(directory, "directory");
        List<Stub> all = stubs();
        List<String> inCode = all.stream().filter(s -> s.mapping().isEmpty()).map(Stub::description).toList();
        if (!inCode.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "saveMappings: " + inCode.size() + " stubs made in code are not"
                    + " saved (a mapping file cannot hold their conditions): " + inCode);
        }
        return MappingFiles.write(all, directory);
    }

    /**
     * Forwards every request that no stub or queued response answers to the real server at
     * {@code target} ({@code http://host:port}, or with a base path that requests' paths are appended to)
     * and answers it with the real answer, instead of 404. The JDK {@code HttpClient} sends it: the same
     * method, path, query and body, the headers but the hop-by-hop ones, {@code Host} naming the real
     * server; the answer comes back the same way, redirects included (not followed). When the real
     * server cannot be reached the client gets {@code 502} and the request counts as unmatched. Null
     * stops forwarding.
     *
     * @throws IllegalArgumentException when {@code target} is not an http or https URI without a query
     * @throws IllegalStateException while recording
     */
    public void proxyUnmatchedTo(URI target) {
        UnmatchedProxy next = target == null ? null : new UnmatchedProxy(target, null);
        editing.lock();
        try {
            if (proxy != null && proxy.recording() != null) {
                throw new IllegalStateException("recording: stopRecording() first");
            }
            proxy = next;
        } finally {
            editing.unlock();
        }
    }

    /**
     * Starts recording: unmatched requests are forwarded to {@code target} (as
     * {@link #proxyUnmatchedTo} does) and their real answers kept, until {@link #stopRecording()}.
     *
     * @throws IllegalArgumentException when {@code target} is not an http or https URI without a query
     * @throws IllegalStateException when already recording
     */
    public void startRecording(URI target) {
        UnmatchedProxy recording = new UnmatchedProxy(target, new Recording());
        editing.lock();
        try {
            if (proxy != null && proxy.recording() != null) {
                throw new IllegalStateException("already recording to " + proxy.target());
            }
            proxyBeforeRecording = proxy;
            proxy = recording;
        } finally {
            editing.unlock();
        }
    }

    /**
     * Stops recording and adds a stub for each distinct request forwarded meanwhile: its method, its
     * path and query exactly, and its body unless it is a {@code GET} or {@code HEAD} ({@code equalToJson}
     * for a JSON body, else {@code equalTo}, or {@code binaryEqualTo}), answered with the real status,
     * headers and body. A request that got different answers when repeated becomes a scenario that gives
     * them in order, the last one repeating. Forwarding goes back to what it was before
     * {@link #startRecording}. Save the stubs with {@link #saveMappings} to replay them without the real
     * server.
     *
     * @return the recorded stubs, in the order their requests first came
     * @throws IllegalStateException when not recording
     */
    public List<Stub> stopRecording() {
        Recording recording;
        editing.lock();
        try {
            if (proxy == null || proxy.recording() == null) {
                throw new IllegalStateException("not recording: startRecording(target) first");
            }
            recording = proxy.recording();
            proxy = proxyBeforeRecording;
            proxyBeforeRecording = null;
        } finally {
            editing.unlock();
        }
        List<Stub> recorded = new ArrayList<>();
        for (JsonObject mapping : recording.mappings()) {
            recorded.add(Mapping.read(MappingFields.top(mapping, "recording"), null).register(this));
        }
        return recorded;
    }

    void remove(Stub stub) {
        stubs.remove(stub);
    }

    void begin(Stubbing stubbing) {
        unfinished.add(stubbing);
    }

    void finish(Stubbing stubbing) {
        unfinished.remove(stubbing);
    }

    /**
     * Throws when a stub was begun with {@code on...} but never finished with {@code respond}: it would
     * otherwise be silently missing.
     *
     * @throws IllegalStateException naming each unfinished stub
     */
    void requireStubsFinished() {
        String names = unfinishedStubs();
        if (names != null) {
            throw new IllegalStateException(names);
        }
    }

    /** The message about unfinished stubs, or null when there are none. */
    private String unfinishedStubs() {
        if (unfinished.isEmpty()) {
            return null;
        }
        List<String> names = unfinished.stream().map(Stubbing::description).sorted().toList();
        return "stubs begun but never finished with respond(...), so they answer nothing: " + String.join("; ", names);
    }

    // ---- what was asked ---------------------------------------------------------------------------

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        return List.copyOf(journal);
    }

    /** How many requests arrived. */
    public int requestCount() {
        return journal.size();
    }

    /**
     * The requests nothing the test set up answered: no stub or queued response matched them (their
     * clients got 404), or the server refused them itself (see {@link RecordedRequest#answeredBy()}).
     */
    public List<RecordedRequest> unmatchedRequests() {
        return journal.stream().filter(r -> !r.isMatched()).toList();
    }

    /**
     * Returns the oldest request not yet taken, waiting up to 10 seconds for one to arrive.
     *
     * @throws AssertionError when none arrives in time
     */
    public RecordedRequest takeRequest() {
        return takeRequest(DEFAULT_TAKE_TIMEOUT);
    }

    /**
     * Returns the oldest request not yet taken, waiting up to {@code timeout} for one to arrive.
     *
     * @throws AssertionError when none arrives in time, or the waiting thread is interrupted
     */
    public RecordedRequest takeRequest(Duration timeout) {
        RecordedRequest request = Checks.poll(untaken, timeout);
        if (request == null) {
            throw new AssertionError("no request arrived within " + timeout + "; " + journalSummary());
        }
        return request;
    }

    /**
     * Checks that {@code method} (null for any) reached {@code path} (exact, or a prefix ending in
     * {@code /*}) exactly {@code times} times.
     *
     * @throws AssertionError otherwise, naming the requests that came closest
     */
    public void verify(int times, String method, String path) {
        verify(Times.exactly(times), RequestPattern.request(method, path));
    }

    /**
     * Checks that at least one request met {@code pattern}.
     *
     * @throws AssertionError otherwise, naming the requests that came closest and what they lacked
     */
    public void verify(RequestPattern pattern) {
        verify(Times.atLeast(1), pattern);
    }

    /**
     * Checks that exactly {@code times} requests met {@code pattern}.
     *
     * @throws AssertionError otherwise, naming the requests that came closest and what they lacked
     */
    public void verify(int times, RequestPattern pattern) {
        verify(Times.exactly(times), pattern);
    }

    /**
     * Checks that the number of requests that met {@code pattern} satisfies {@code times}:
     * {@code verify(Times.atLeast(2), RequestPattern.post("/events"))}.
     *
     * @throws AssertionError otherwise, naming the requests that came closest and what they lacked
     */
    public void verify(Times times, RequestPattern pattern) {
        Objects.requireNonNull(times, "times");
        requireStubsFinished();
        List<RecordedRequest> all = requests();
        List<RecordedRequest> met = all.stream().filter(pattern::matches).toList();
        if (times.test(met.size())) {
            return;
        }
        StringBuilder b = new StringBuilder("expected ").append(times).append(" × ").append(pattern.describe())
                .append(" but ").append(met.size() == 1 ? "1 request" : met.size() + " requests").append(" matched");
        if (!met.isEmpty()) {
            b.append(": ").append(met);
        }
        b.append("; ").append(all.isEmpty() ? "no requests were received" : all.size() + " received");
        String closest = NearMisses.closestRequests(pattern, all);
        if (!closest.isEmpty()) {
            b.append('\n').append(closest);
        }
        throw new AssertionError(b.toString());
    }

    /** The requests received so far that meet {@code pattern}, in order of arrival. */
    public List<RecordedRequest> findRequests(RequestPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return requests().stream().filter(pattern::matches).toList();
    }

    /**
     * Checks that every request was answered by a stub or the queue (or something else the test set up):
     * none got a 404 for want of a stub, and the server refused none by itself.
     *
     * @throws AssertionError naming the unmatched requests, what answered each, and the stubs there were
     */
    public void assertNoUnmatchedRequests() {
        List<RecordedRequest> unmatched = unmatchedRequests();
        if (!unmatched.isEmpty()) {
            StringBuilder b = new StringBuilder("requests that no stub matched: ")
                    .append(unmatched.stream().map(r -> r + " (" + r.answeredBy() + ")").toList());
            for (RecordedRequest request : unmatched.subList(0, Math.min(unmatched.size(), NearMisses.SHOWN))) {
                b.append("\n").append(request).append(": ").append(nearMisses(request));
            }
            throw new AssertionError(b.toString());
        }
    }

    /** Exceptions thrown by stub conditions and answer functions so far; each request answered 500. */
    public List<Throwable> answerFailures() {
        return List.copyOf(failures);
    }

    /** The state scenario {@code name} is in ({@link #SCENARIO_STARTED} until a stub moves it on). */
    public String scenarioState(String name) {
        return scenarios.state(Objects.requireNonNull(name, "name"));
    }

    /** Moves scenario {@code name} to {@code state}, as a test step between requests. */
    public void setScenarioState(String name, String state) {
        scenarios.set(name, state);
    }

    Scenarios scenarios() {
        return scenarios;
    }

    /** Forgets the requests received so far (the admin API's {@code DELETE /__admin/requests}). */
    void clearRequests() {
        journal.clear();
        untaken.clear();
    }

    /** Keeps {@code msg} out of the journal: a request to the admin API, not to the mock. */
    void notJournaled(ServerMessage msg) {
        unseen.seen(msg);
    }

    /**
     * Forgets stubs, queued responses, recorded requests and failures, and puts every scenario back in
     * {@link #SCENARIO_STARTED}; the server keeps its port.
     */
    public void reset() {
        for (MockWebSocket endpoint : webSockets.values()) {
            server.removeHandler(endpoint.path());
            endpoint.closeAll();
        }
        webSockets.clear();
        stubs.clear();
        queue.clear();
        journal.clear();
        untaken.clear();
        failures.clear();
        scenarios.reset();
        unfinished.clear();
        sequence.set(0);
    }

    /**
     * Stops the server: closes its listener and every open connection at once. Answers still waiting
     * (delays, stalls, bodies dribbled out) are abandoned and their connections cut; the server's
     * {@linkplain dev.ladle.server.Limits#getShutdownTimeout() shutdown timeout} is not waited out.
     *
     * @throws IllegalStateException after stopping, when a stub was begun but never finished with {@code respond}
     */
    @Override
    public void close() {
        server.disconnect(); // first, so that a client retrying an abandoned request finds no listener
        player.close();
        forwarder.close();
        server.setLimits(server.getLimits().setShutdownTimeout(CLOSE_GRACE));
        server.close();
        webSockets.clear();
        requireStubsFinished();
    }

    @Override
    public String toString() {
        return "MockServer " + baseUri + " (" + stubs.size() + " stubs, " + journal.size() + " requests)";
    }

    // ---- the handler ------------------------------------------------------------------------------

    private void handle(Server srv, ServerMessage msg, String path, Map<String, String> query) throws IOException {
        unseen.seen(msg);
        RecordedRequest candidate = snapshot(msg, query, msg.getRequestBody().flatten(), null);
        String unfinishedStubs = unfinishedStubs();
        if (unfinishedStubs != null) {
            refuseForUnfinishedStubs(msg, candidate, unfinishedStubs);
            return;
        }

        String matchedBy = null;
        MockResponse response = null;
        Stub chosen = null;
        int hit = 0;
        choosing.lock();
        try {
            for (int i = stubs.size() - 1; i >= 0 && chosen == null; i--) {
                Stub stub = stubAt(i);
                if (stub == null) {
                    continue;
                }
                // a condition or an answer function is test code: if it throws (an assertion inside it,
                // say), the client gets a 500 and the test hears of it, instead of a bare server error
                try {
                    if (stub.matches(candidate) && (hit = stub.claim()) > 0) {
                        chosen = stub;
                    }
                } catch (RuntimeException | AssertionError e) {
                    chosen = stub;
                    response = failed(stub, e);
                }
            }
        } finally {
            choosing.unlock();
        }
        if (chosen != null) {
            matchedBy = chosen.description();
            if (response == null) {
                try {
                    response = chosen.answer(candidate, hit);
                } catch (RuntimeException | AssertionError e) {
                    response = failed(chosen, e);
                }
            }
        }
        if (response == null) {
            response = queue.poll();
            if (response != null) {
                matchedBy = "queue";
            }
        }
        String answeredBy = null;
        UnmatchedProxy via = proxy;
        if (response == null && via != null) {
            UnmatchedProxy.Answer forwarded = via.answer(forwarder, candidate);
            response = forwarded.response();
            matchedBy = forwarded.matchedBy();
            answeredBy = forwarded.answeredBy();
        }
        if (response == null) {
            response = MockResponse.status(404).withBody("text/plain; charset=utf-8",
                    "ladle-junit: no stub matches " + candidate + "\n" + nearMisses(candidate) + "\n");
        }
        record(candidate.answered(response.isDisconnect() ? 0 : response.status(), matchedBy, answeredBy));
        player.play(msg, response);
    }

    /** Answers 500 naming the unfinished stubs, and reports them with the stub failures. */
    private void refuseForUnfinishedStubs(ServerMessage msg, RecordedRequest candidate, String unfinishedStubs)
            throws IOException {
        failures.add(new IllegalStateException(unfinishedStubs));
        record(candidate.answered(500, null, "no stub: stubs were left unfinished (500)"));
        player.play(msg, MockResponse.status(500).withBody("text/plain; charset=utf-8",
                "ladle-junit: " + unfinishedStubs + "\n"));
    }

    /**
     * Early handler, before a request's body: a request that expects {@code 100 Continue} is looked up
     * by its head, and the response found may refuse the body or hold the 100 back (see
     * {@link MockResponse#withContinueRefused()}).
     */
    private void beforeBody(Server srv, ServerMessage msg, String path, Map<String, String> query) throws IOException {
        if (!ResponsePlayer.expectsContinue(msg)) {
            return;
        }
        RecordedRequest head = snapshot(-1, msg, query, new byte[0], null); // numbered only if recorded
        MockResponse response = null;
        Stub stub = null;
        try {
            for (int i = stubs.size() - 1; i >= 0 && stub == null; i--) {
                Stub candidate = stubAt(i);
                if (candidate != null && candidate.matches(head)) {
                    stub = candidate;
                    // a look ahead: the hit is only counted when this answer is given now
                    response = candidate.answer(head, candidate.hits() + 1);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            return; // the normal handler meets the same failure with the body, and reports it
        }
        if (stub == null) {
            response = queue.peek();
        }
        if (response == null) {
            return;
        }
        if (response.continueRefused()) {
            // the answer given now is final: it takes its stub's use (or its place in the queue)
            if (!(stub != null ? stub.claim() > 0 : queue.remove(response))) {
                return;
            }
            unseen.seen(msg); // journaled here, not again by the watcher of requests the handler never saw
            record(snapshot(msg, query, new byte[0], null)
                    .answered(response.status(), stub != null ? stub.description() : "queue", null));
        }
        player.beforeBody(msg, response);
    }

    /** Copies what the test may inspect out of {@code msg}, numbering it as the next request. */
    private RecordedRequest snapshot(ServerMessage msg, Map<String, String> query, byte[] body, String matchedBy) {
        return snapshot(sequence.getAndIncrement(), msg, query, body, matchedBy);
    }

    private static RecordedRequest snapshot(int number, ServerMessage msg, Map<String, String> query, byte[] body,
            String matchedBy) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(msg.getRequestHeaders().size());
        msg.getRequestHeaders().forEach((name, value) -> headers.add(Map.entry(name, value)));
        return new RecordedRequest(number, msg.getMethod(), msg.getUri(), msg.getHttpVersion(),
                query, headers, body, msg.getRemoteAddress(), matchedBy, msg.getTlsPeerCertificates());
    }

    /** Records that {@code stub} threw {@code e} and returns the 500 its client gets. */
    private MockResponse failed(Stub stub, Throwable e) {
        failures.add(e);
        LOG.log(System.Logger.Level.WARNING, "stub " + stub.description() + " failed", e);
        return MockResponse.status(500).withBody("text/plain; charset=utf-8",
                "ladle-junit: the stub for " + stub.description() + " threw " + e + "\n");
    }

    /** Copies a request the handler never saw (see {@link UnseenRequestWatcher}): its body only when it was read. */
    private RecordedRequest snapshotUnseen(ServerMessage msg) {
        MessageBody body = msg.getRequestBody();
        byte[] bytes = body.getAccumulate() && body.isComplete() ? body.flatten() : new byte[0];
        String rawQuery = msg.getUri().getRawQuery();
        Map<String, String> query = Map.of();
        if (rawQuery != null) {
            try {
                query = Forms.decode(rawQuery);
            } catch (IllegalArgumentException malformed) {
                // journaled without its query parameters; the raw query is still in uri()
            }
        }
        RecordedRequest recorded = snapshot(msg, query, bytes, null);
        return msg.getMethod() == null ? recorded.withMethod("") : recorded;
    }

    /** Adds {@code recorded} to the journal, before its answer is written. */
    private void record(RecordedRequest recorded) {
        journal.add(recorded);
        untaken.add(recorded);
    }

    /** The stub at {@code i}, or null when stubs were removed meanwhile. */
    private Stub stubAt(int i) {
        try {
            return stubs.get(i);
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    static boolean pathMatches(String pattern, String path) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.isEmpty();
        }
        return pattern.equals(path);
    }

    private String journalSummary() {
        List<RecordedRequest> all = requests();
        return all.isEmpty() ? "no requests were received" : all.size() + " received: " + all;
    }

    /** The stubs that came closest to matching {@code request}, or a word on why there are none. */
    private String nearMisses(RecordedRequest request) {
        String closest = NearMisses.closestStubs(request, stubs());
        return closest.isEmpty() ? stubSummary() : closest;
    }

    private String stubSummary() {
        List<Stub> all = stubs();
        if (all.isEmpty()) {
            return "There are no stubs" + (queue.isEmpty() ? "." : "; " + queue.size() + " queued responses remain.");
        }
        StringBuilder b = new StringBuilder("Stubs (newest last):");
        for (Stub s : all) {
            b.append("\n  ").append(s);
        }
        return b.toString();
    }
}
