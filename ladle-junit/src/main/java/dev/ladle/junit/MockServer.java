package dev.ladle.junit;

import dev.ladle.junit.json.JsonObject;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
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
    /** The state every {@linkplain Stubbing#inScenario scenario} starts in (WireMock's name for it). */
    public static final String SCENARIO_STARTED = "Started";

    private static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close()} lets answers being written finish before it cuts their connections. */
    private static final Duration CLOSE_GRACE = Duration.ofMillis(100);

    private final Server server;
    private final URI baseUri;
    private final StubRegistry registry = new StubRegistry();
    private final Journal journal = new Journal();
    private final UnfinishedStubs unfinished = new UnfinishedStubs();
    /** Exceptions thrown by the test's stubs, and answers that could not be played. */
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ResponsePlayer player = new ResponsePlayer(failures::add);
    private final ProxyRoute route = new ProxyRoute();
    private final WebSocketEndpoints webSockets;
    private final MockRequestHandler handler;

    /** Wires the mock's handlers into {@code server}, then listens as {@code setup} says. */
    MockServer(Server server, MockServerSetup setup) {
        this.server = server;
        this.handler = new MockRequestHandler(server, registry, journal, unfinished, route, player, failures);
        this.webSockets = new WebSocketEndpoints(server, journal);
        this.baseUri = setup.listen(server);
    }

    /** Starts a plain-HTTP mock server on a free port of {@code 127.0.0.1}. */
    public static MockServer start() {
        return builder().start();
    }

    /** A builder for a server with HTTPS or its own settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets up a {@link MockServer} before it starts. Not thread-safe: one thread builds a server. */
    public static final class Builder {
        private final MockServerSetup setup = new MockServerSetup();

        private Builder() {
        }

        /**
         * Listens on {@code address} instead of a free port of {@code 127.0.0.1}: for a mock server that
         * other processes reach at a known port (port 0 still picks a free one).
         */
        public Builder address(InetSocketAddress address) {
            setup.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Forwards the requests nothing the test set up answers to the real server at {@code target}
         * (see {@link MockServer#proxyUnmatchedTo(URI)}).
         */
        public Builder proxyUnmatchedTo(URI target) {
            new UnmatchedProxy(target, null); // checks it now, where the mistake is
            setup.proxyTarget = target;
            return this;
        }

        /**
         * Loads the mappings of {@code fileOrDirectory} when the server starts (see
         * {@link MockServer#loadMappings}); they are also what the admin API's resets go back to.
         * Call again for more.
         */
        public Builder mappings(Path fileOrDirectory) {
            setup.mappings.add(Objects.requireNonNull(fileOrDirectory, "fileOrDirectory"));
            return this;
        }

        /**
         * Serves WireMock's admin API under {@code /__admin/}, for tests written in other languages: list,
         * add and remove mappings, read and clear the journal, reset scenarios and everything, record.
         * See {@link AdminApi} for the endpoints. Its requests are not journaled.
         */
        public Builder adminApi() {
            setup.adminApi = true;
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
            setup.certificate = Objects.requireNonNull(certificate, "certificate");
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
            setup.clientTrust = Objects.requireNonNull(trusted, "trusted");
            setup.clientAuth = mode;
            return this;
        }

        /**
         * Speaks HTTP/1.1 only: no {@code h2} through ALPN on HTTPS, and no h2c by prior knowledge on
         * plain HTTP, where an HTTP/2 preface then gets an HTTP/1.1 {@code 505}. Without it the server
         * speaks both (see the class documentation), as the Ladle server does by default.
         */
        public Builder http1Only() {
            setup.http1Only = true;
            return this;
        }

        /**
         * Adjusts the underlying {@link Server} before it listens: limits, auth domains, a
         * {@code Server} header, extra handlers (a handler on a longer path takes precedence over the
         * mock's stubs).
         */
        public Builder configure(Consumer<Server> configuration) {
            setup.configuration = setup.configuration.andThen(Objects.requireNonNull(configuration, "configuration"));
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
            return setup.start();
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
        return ClientTls.sslContext(null, trustManager());
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
        return ClientTls.trustManager(ClientTls.trustStore(certificate.getCertificateChain()));
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
        return new Stubbing(registry, unfinished, Objects.requireNonNull(method, "method"), path);
    }

    /**
     * Starts a stub for requests with {@code method} (null for any) whose decoded path meets
     * {@code path}, e.g. {@code on("GET", matching("/items/\\d+"))}.
     */
    public Stubbing on(String method, StringMatcher path) {
        return new Stubbing(registry, unfinished, method, path);
    }

    /** A stub for requests of any method to {@code path}. */
    public Stubbing onAny(String path) {
        return new Stubbing(registry, unfinished, null, path);
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
        return webSockets.at(Checks.requirePath(path));
    }

    /**
     * Queues {@code response} for the next request that no stub matches, whatever its method and path:
     * queued responses are used once each, in order.
     */
    public MockServer enqueue(MockResponse response) {
        registry.enqueue(Objects.requireNonNull(response, "response"));
        return this;
    }

    /**
     * The stubs, the one tried first last: in order of {@linkplain Stub#priority() priority} (the
     * highest, 1, last), and among stubs of the same priority newest last.
     */
    public List<Stub> stubs() {
        return registry.stubs();
    }

    /** Puts {@code stub} back where it is tried in turn (see {@link StubRegistry#add}). */
    void add(Stub stub) {
        registry.add(stub);
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
        return Mapping.parse(Objects.requireNonNull(mappingJson, "mappingJson")).register(this);
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
        return MappingFiles.write(stubs(), Objects.requireNonNull(directory, "directory"));
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
        route.forwardTo(target);
    }

    /**
     * Starts recording: unmatched requests are forwarded to {@code target} (as
     * {@link #proxyUnmatchedTo} does) and their real answers kept, until {@link #stopRecording()}.
     *
     * @throws IllegalArgumentException when {@code target} is not an http or https URI without a query
     * @throws IllegalStateException when already recording
     */
    public void startRecording(URI target) {
        route.startRecording(target);
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
        List<Stub> recorded = new ArrayList<>();
        for (JsonObject mapping : route.stopRecording().mappings()) {
            recorded.add(Mapping.read(MappingFields.top(mapping, "recording"), null).register(this));
        }
        return recorded;
    }

    /**
     * Throws when a stub was begun with {@code on...} but never finished with {@code respond}: it would
     * otherwise be silently missing.
     *
     * @throws IllegalStateException naming each unfinished stub
     */
    void requireStubsFinished() {
        unfinished.requireNone();
    }

    // ---- what was asked ---------------------------------------------------------------------------

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        return journal.all();
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
        return journal.unmatched();
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
        return journal.take(Objects.requireNonNull(timeout, "timeout"));
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
        Objects.requireNonNull(pattern, "pattern");
        requireStubsFinished();
        List<RecordedRequest> all = requests();
        List<RecordedRequest> met = all.stream().filter(pattern::matches).toList();
        if (!times.test(met.size())) {
            throw new AssertionError(NearMisses.verificationFailure(times, pattern, all, met));
        }
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
            throw new AssertionError(NearMisses.unmatchedFailure(unmatched, registry::nearMisses));
        }
    }

    /** Exceptions thrown by stub conditions and answer functions so far; each request answered 500. */
    public List<Throwable> answerFailures() {
        return List.copyOf(failures);
    }

    /** The state scenario {@code name} is in ({@link #SCENARIO_STARTED} until a stub moves it on). */
    public String scenarioState(String name) {
        return registry.scenarios().state(Objects.requireNonNull(name, "name"));
    }

    /** Moves scenario {@code name} to {@code state}, as a test step between requests. */
    public void setScenarioState(String name, String state) {
        registry.scenarios().set(name, state);
    }

    Scenarios scenarios() {
        return registry.scenarios();
    }

    /** Forgets the requests received so far (the admin API's {@code DELETE /__admin/requests}). */
    void clearRequests() {
        journal.clear();
    }

    /** Keeps {@code msg} out of the journal: a request to the admin API, not to the mock. */
    void notJournaled(ServerMessage msg) {
        handler.notJournaled(msg);
    }

    /**
     * Forgets stubs, queued responses, recorded requests and failures, and puts every scenario back in
     * {@link #SCENARIO_STARTED}; the server keeps its port. Requests still being answered are forgotten
     * too: they are not journaled afterwards, and the next request is number 0.
     */
    public void reset() {
        webSockets.removeAll();
        registry.reset();
        journal.reset();
        failures.clear();
        unfinished.clear();
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
        route.close();
        server.setLimits(server.getLimits().setShutdownTimeout(CLOSE_GRACE));
        server.close();
        webSockets.forget();
        requireStubsFinished();
    }

    /** For messages: the base URI and how many stubs and requests it has. */
    @Override
    public String toString() {
        return "MockServer " + baseUri + " (" + registry.stubs().size() + " stubs, " + journal.size() + " requests)";
    }
}
