package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsProfile;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of ladle-httpd: its flags, their checks, and the run (start, print the URIs, serve
 * until SIGINT or SIGTERM, stop gracefully).
 *
 * <p>A flag combination that makes no sense (a key without a certificate, {@code --user} without
 * {@code --auth}) is a usage error: the message and the usage, exit code 2. A problem found while
 * starting (a busy port, a missing root) is a {@link StartupException}: one line, exit code 1.
 */
@Command(name = "ladle-httpd", mixinStandardHelpOptions = true, versionProvider = HttpdCommand.VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Serves the files under a directory over HTTP/1.1 and HTTP/2, built on the Ladle server library;",
            "with --mock DIR, a mock server answering from the WireMock-style mapping files under DIR instead,",
            "with WireMock's admin API under /__admin/.",
            "Prints each URI it listens on, one per line, when ready; SIGINT or SIGTERM stops it gracefully",
            "(after draining for --drain-grace)."})
final class HttpdCommand implements Callable<Integer> {
    /** The default of {@code --ws-max-message}. */
    static final long DEFAULT_WS_MAX_MESSAGE = 16L << 20;
    /** The default of {@code --max-body}. */
    static final long DEFAULT_MAX_BODY = 64L << 20;
    /** The max-age of {@code --hsts} given without a value: one year, in seconds. */
    static final long DEFAULT_HSTS_SECONDS = 31_536_000;

    /** The client-certificate modes of {@code --client-cert}. */
    enum ClientCert {
        /** Do not ask for a client certificate. */
        NONE(TlsAuthMode.NONE),
        /** Ask for one; accept clients without. */
        REQUESTED(TlsAuthMode.REQUESTED),
        /** Refuse clients without a valid one. */
        REQUIRED(TlsAuthMode.REQUIRED);

        final TlsAuthMode mode;

        ClientCert(TlsAuthMode mode) {
            this.mode = mode;
        }
    }

    /** The named TLS profiles of {@code --tls-profile}. */
    enum TlsProfileName {
        /** TLS 1.3, and TLS 1.2 with AEAD suites that have forward secrecy. */
        INTERMEDIATE(TlsProfile.INTERMEDIATE),
        /** TLS 1.3 only. */
        MODERN(TlsProfile.MODERN);

        final TlsProfile profile;

        TlsProfileName(TlsProfile profile) {
            this.profile = profile;
        }
    }

    /** The authentication schemes of {@code --auth}. */
    enum AuthScheme {
        /** HTTP Basic (RFC 7617). */
        BASIC,
        /** HTTP Digest (RFC 7616). */
        DIGEST
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "Directory to serve (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(names = "--bind", paramLabel = "local|all|ADDRESS", defaultValue = "local",
            description = "Where to listen: local (127.0.0.1 and ::1), all (every interface) or one address (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--unix", paramLabel = "PATH",
            description = "Also listen on this Unix-domain socket; without an explicit --port, only there.")
    Path unix;

    @Option(names = "--allow-put", description = "Allow PUT (create or replace a file) and DELETE.")
    boolean allowPut;

    /** Null when not given, so that {@code tlsCert != null} says whether HTTPS is on. */
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain: also serve HTTPS. Repeatable: the first is the default; every one"
                    + " also serves the DNS names of its subjectAltName to clients asking for them (SNI).")
    List<Path> tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of the --tls-cert in the same position (one per --tls-cert).")
    List<Path> tlsKey;

    @Option(names = "--https-port", paramLabel = "N", defaultValue = "8443",
            description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int httpsPort;

    @Option(names = "--client-cert", paramLabel = "none|requested|required", defaultValue = "none",
            description = "Ask HTTPS clients for a certificate (default: none).")
    ClientCert clientCert;

    @Option(names = "--trust", paramLabel = "FILE",
            description = "PEM certificates trusted to sign client certificates (default: the system's).")
    Path trust;

    // client-certificate revocation
    @Option(names = "--crl", paramLabel = "FILE",
            description = "CRL (PEM or DER) of a client-certificate issuer; revoked clients are refused (required)"
                    + " or flagged (requested) (repeatable).")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--ocsp", description = "Check client certificates with OCSP, at the responder each names.")
    boolean ocsp;

    @Option(names = "--ocsp-responder", paramLabel = "URI",
            description = "Ask this OCSP responder about every client certificate (implies --ocsp).")
    URI ocspResponder;

    @Option(names = "--revocation-soft-fail",
            description = "Accept client certificates whose revocation status cannot be determined (default: as revoked).")
    boolean revocationSoftFail;

    @Option(names = "--tls-profile", paramLabel = "intermediate|modern", defaultValue = "intermediate",
            description = "TLS versions and cipher suites offered: intermediate, or modern (TLS 1.3 only) "
                    + "(default: intermediate (TLS 1.3, TLS 1.2 AEAD+FS)).")
    TlsProfileName tlsProfile;

    @Option(names = "--tls-protocols", paramLabel = "VERSION", split = ",",
            description = "TLS versions offered instead of the profile's, most preferred first (JDK names, such as TLSv1.2).")
    List<String> tlsProtocols = new ArrayList<>();

    @Option(names = "--tls-ciphers", paramLabel = "SUITE", split = ",",
            description = "Cipher suites offered instead of the profile's, most preferred first "
                    + "(JDK names, such as TLS_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).")
    List<String> tlsCiphers = new ArrayList<>();

    @Option(names = "--hsts", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "" + DEFAULT_HSTS_SECONDS,
            description = "Send Strict-Transport-Security: max-age=SECONDS on every HTTPS response, and on the requests a"
                    + " --trusted-proxy says came over https (without a value: " + DEFAULT_HSTS_SECONDS + ", one year;"
                    + " no includeSubDomains; 0 clears it in browsers).")
    Long hsts;

    @Option(names = "--auth", paramLabel = "basic|digest", description = "Require HTTP authentication.")
    AuthScheme auth;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "A user for --auth (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = "--auth-path", paramLabel = "PREFIX", defaultValue = "/",
            description = "Path prefix that needs authentication (default: ${DEFAULT-VALUE}).")
    String authPath;

    @Option(names = "--echo", paramLabel = "PATH",
            description = "Answer POST and PUT under PATH with the request body and its content type.")
    String echo;

    @Option(names = "--ws-echo", paramLabel = "PATH", description = "WebSocket echo (text and binary) at PATH.")
    String wsEcho;

    @Option(names = "--ws-max-message", paramLabel = "BYTES", converter = ByteSize.class,
            defaultValue = "16m", description = "Largest WebSocket message accepted (default: 16m).")
    long wsMaxMessage;

    @Option(names = "--ws-origin", paramLabel = "ORIGIN", description = "The Origin WebSocket clients must send.")
    String wsOrigin;

    @Option(names = "--ws-protocol", paramLabel = "NAME",
            description = "A WebSocket sub-protocol to accept, most preferred first (repeatable).")
    List<String> wsProtocols = new ArrayList<>();

    @Option(names = "--no-http2",
            description = "Speak HTTP/1.1 only: no h2 on HTTPS (ALPN), no h2c (prior knowledge) on plain HTTP.")
    boolean noHttp2;

    @Option(names = "--access-log", description = "Log each request on stdout in the Common Log Format.")
    boolean accessLog;

    @Option(names = "--metrics", paramLabel = "PATH",
            description = "Serve the server's statistics at PATH in the Prometheus text format (GET).")
    String metrics;

    @Option(names = "--compress",
            description = "Compress text-like responses (text/*, JSON, JavaScript, XML, SVG; 1 KiB and more) with gzip"
                    + " or deflate for clients that accept it. Files with a .gz sibling are served from it either way.")
    boolean compress;

    @Option(names = "--no-file-cache",
            description = "Read every file for every request instead of keeping files up to 32 KiB (8 MiB in all) in"
                    + " memory. The cache notices a file replaced or rewritten (inode, size, modification time); turn it off"
                    + " when files are edited in place with their modification time set back, or hidden by permissions alone.")
    boolean noFileCache;

    // behind a load balancer
    @Mixin
    BalancerFlags balancer = new BalancerFlags();

    @Option(names = "--max-body", paramLabel = "BYTES", converter = ByteSize.class, defaultValue = "64m",
            description = "Largest request body (upload or echo) accepted (default: 64m).")
    long maxBody;

    // the standalone mock server
    @Option(names = "--mock", paramLabel = "DIR",
            description = "Be a mock server: answer from the mapping files (*.json, WireMock's format) under DIR,"
                    + " bodies from DIR/__files; admin API under /__admin/. Goes with --port, --bind (local: 127.0.0.1),"
                    + " --no-http2, --access-log and --mock-proxy only.")
    Path mock;

    @Option(names = "--mock-proxy", paramLabel = "URI",
            description = "With --mock: forward requests no mapping matches to the real server at URI.")
    URI mockProxy;

    private final PrintStream out;
    private final PrintStream err;

    /** Creates the command printing URIs and log lines to {@code out} and notices to {@code err}. */
    HttpdCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Checks the flags, starts the server, prints its URIs and serves until the process is told to stop;
     * the shutdown hook then stops the server and ends the process with 0, so this never returns normally.
     */
    @Override
    public Integer call() throws InterruptedException {
        checkFlags();
        Running httpd = mock != null ? MockHttpd.start(this) : Httpd.start(this);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(httpd), "ladle-httpd-shutdown"));
        for (URI uri : httpd.uris()) {
            out.println(uri);
        }
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * Runs on SIGINT or SIGTERM: drains for the {@linkplain BalancerFlags#drainGrace() grace} (listeners open), then no
     * new connections, requests in flight finish (at most 10 s more), exit 0.
     */
    private void stop(Running httpd) {
        Duration grace = balancer.drainGrace();
        if (!grace.isZero()) {
            // said once it is so: a request sent after this line gets the draining answer
            httpd.startDraining();
            err.println("ladle-httpd: draining for " + DurationFlag.describe(grace) + ": health checks answer 503,"
                    + " each connection closes after its next response");
            err.flush();
            try {
                // the balancer's health checks need this long to fail and take this process out of rotation
                Thread.sleep(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        httpd.disconnect();
        err.println(httpd instanceof MockHttpd ? "ladle-httpd: stopping the mock server"
                : "ladle-httpd: stopping; requests in flight get up to " + Httpd.SHUTDOWN_TIMEOUT.toSeconds() + " s");
        err.flush();
        httpd.close();
        out.flush();
        // a signal would otherwise end the JVM with 128 + the signal number; a graceful stop is a success.
        // Halting skips the other shutdown hooks: write the user's flight recordings first
        FlightRecordings.writeBeforeHalt();
        Runtime.getRuntime().halt(0);
    }

    /** Refuses flag combinations that cannot work, as usage errors. */
    void checkFlags() {
        checkPort("--port", port);
        checkMockFlags();
        checkPort("--https-port", httpsPort);
        checkPath("--auth-path", authPath);
        checkPath("--echo", echo);
        checkPath("--ws-echo", wsEcho);
        checkPath("--metrics", metrics);
        if ("/".equals(echo) || "/".equals(wsEcho) || "/".equals(metrics)) {
            throw usage("--echo, --ws-echo and --metrics need a path other than /, which serves the files");
        }
        if (echo != null && echo.equals(wsEcho)) {
            throw usage("--echo and --ws-echo need different paths");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together");
        }
        if (tlsCert != null && tlsCert.size() != tlsKey.size()) {
            throw usage("each --tls-cert needs its --tls-key, in the same order; got " + tlsCert.size()
                    + " --tls-cert and " + tlsKey.size() + " --tls-key");
        }
        if (tlsCert == null && (isSet("--https-port") || clientCert != ClientCert.NONE || trust != null)) {
            throw usage("--https-port, --client-cert and --trust need --tls-cert and --tls-key");
        }
        boolean revocation = !crls.isEmpty() || ocsp || ocspResponder != null;
        if ((revocation || revocationSoftFail) && clientCert == ClientCert.NONE) {
            throw usage("--crl, --ocsp, --ocsp-responder and --revocation-soft-fail need --client-cert requested or required");
        }
        if (revocationSoftFail && !revocation) {
            throw usage("--revocation-soft-fail needs --crl, --ocsp or --ocsp-responder");
        }
        checkTlsPolicy();
        if (auth == null && !users.isEmpty()) {
            throw usage("--user needs --auth basic or --auth digest");
        }
        if (auth != null && users.isEmpty()) {
            throw usage("--auth needs at least one --user NAME:PASSWORD");
        }
        if (auth == null && isSet("--auth-path")) {
            throw usage("--auth-path needs --auth");
        }
        for (String user : users) {
            if (user.indexOf(':') <= 0) {
                throw usage("--user takes NAME:PASSWORD, got '" + user + "'");
            }
        }
        if (wsEcho == null && (wsOrigin != null || !wsProtocols.isEmpty() || isSet("--ws-max-message"))) {
            throw usage("--ws-max-message, --ws-origin and --ws-protocol need --ws-echo");
        }
        balancer.check(this);
    }

    /** {@code --tls-profile}, {@code --tls-protocols}, {@code --tls-ciphers} and {@code --hsts}. */
    private void checkTlsPolicy() {
        if (tlsCert == null && (isSet("--tls-profile") || !tlsProtocols.isEmpty() || !tlsCiphers.isEmpty())) {
            throw usage("--tls-profile, --tls-protocols and --tls-ciphers need --tls-cert and --tls-key");
        }
        // behind a proxy that terminates TLS, the requests it says came over https are the https ones
        if (tlsCert == null && balancer.trustedProxies.isEmpty() && hsts != null) {
            throw usage("--hsts needs --tls-cert and --tls-key, or --trusted-proxy (for https ended at the proxy)");
        }
        if (hsts != null && hsts < 0) {
            throw usage("--hsts must be 0 or more seconds, got " + hsts);
        }
        try {
            tlsProfile();
        } catch (IllegalArgumentException e) {
            throw usage("--tls-protocols/--tls-ciphers: " + e.getMessage());
        }
    }

    /**
     * Returns the TLS profile the flags ask for: the {@code --tls-profile}, with its versions or suites
     * replaced by {@code --tls-protocols} or {@code --tls-ciphers} when given.
     *
     * @throws IllegalArgumentException when the lists name something the JDK does not support, or leave a
     *     version without a suite it can use
     */
    TlsProfile tlsProfile() {
        TlsProfile named = tlsProfile.profile;
        if (tlsProtocols.isEmpty() && tlsCiphers.isEmpty()) {
            return named;
        }
        return TlsProfile.of(tlsProtocols.isEmpty() ? named.protocols() : tlsProtocols,
                tlsCiphers.isEmpty() ? named.cipherSuites() : tlsCiphers);
    }

    /** The file server's flags mean nothing to the mock server: given with {@code --mock}, they are an error. */
    private void checkMockFlags() {
        if (mock == null) {
            if (mockProxy != null) {
                throw usage("--mock-proxy needs --mock");
            }
            return;
        }
        for (String option : List.of("--root", "--unix", "--allow-put", "--tls-cert", "--tls-key", "--https-port",
                "--client-cert", "--trust", "--crl", "--ocsp", "--ocsp-responder", "--revocation-soft-fail", "--tls-profile",
                "--tls-protocols", "--tls-ciphers", "--hsts", "--auth",
                "--user", "--auth-path", "--echo", "--ws-echo", "--ws-max-message", "--ws-origin", "--ws-protocol",
                "--max-body", "--compress", "--no-file-cache")) {
            if (isSet(option)) {
                throw usage(option + " does not go with --mock, which serves mapping files, not a directory of files");
            }
        }
        if (isSet("--metrics")) {
            throw usage("--metrics is not supported with --mock");
        }
        for (String option : List.of("--reuse-port", "--health", "--drain-grace", "--nonce-key-file")) {
            if (isSet(option)) {
                throw usage(option + " is not supported with --mock: the mock server stops at once");
            }
        }
        for (String option : List.of("--proxy-protocol", "--trusted-proxy", "--trusted-headers")) {
            if (isSet(option)) {
                throw usage(option + " is not supported with --mock: the mock server answers its clients directly");
            }
        }
    }

    /** Returns true when the user gave {@code option} on the command line (rather than its default). */
    boolean isSet(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void checkPort(String option, int value) {
        if (value < 0 || value > 65535) {
            throw usage(option + " must be between 0 and 65535, got " + value);
        }
    }

    void checkPath(String option, String value) {
        if (value != null && !value.startsWith("/")) {
            throw usage(option + " must start with /, got '" + value + "'");
        }
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Supplies {@code --version}: the library version the jar was built from. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ladle-httpd " + Server.VERSION};
        }
    }
}
