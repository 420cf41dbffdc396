package dev.ladle.examples.guide.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.server.ProxyHeader;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-balancer chapter against the real programs: {@link BalancedServer} behind HAProxy with the
 * guide's {@code haproxy.cfg} and behind nginx with {@code nginx-ladle.conf}, a client on 127.0.0.2 and
 * the balancer on 127.0.0.1 so that the two addresses are told apart; and the drain on SIGTERM of
 * {@link BalancedServer#main}. The balancer tests skip themselves where the program is not installed.
 */
class BalancedServerTest {
    /** A loopback address other than the balancer's (Linux routes all of 127/8 to the loopback interface). */
    private static final InetAddress CLIENT = address(127, 0, 0, 2);

    @TempDir
    Path dir;

    private HttpClient client;

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void clientOnAnotherLoopbackAddress() {
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(CLIENT, 0));
        } catch (IOException e) {
            assumeTrue(false, "cannot bind a client to " + CLIENT + ": " + e);
        }
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(CLIENT)
                .connectTimeout(RealBalancer.WAIT).build();
    }

    private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(RealBalancer.WAIT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    /** Requests sent one after another on a virtual thread, and how each that failed did. */
    private record Load(AtomicBoolean stop, AtomicInteger sent, ConcurrentLinkedQueue<String> failures, Thread thread) {
        /** Stops sending and returns the failures. */
        ConcurrentLinkedQueue<String> finish() throws InterruptedException {
            stop.set(true);
            thread.join();
            return failures;
        }
    }

    /** GETs /whoami through {@code front} again and again until {@link Load#finish()}, noting what is not a 200. */
    private Load load(URI front) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                try {
                    HttpResponse<String> r = get(front, "/whoami");
                    if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                sent.incrementAndGet();
            }
        });
        return new Load(stop, sent, failures, thread);
    }

    /** Waits until {@code condition} holds, polling: the servers do not signal what a balancer did to them. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RealBalancer.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long openConnections(Server... servers) {
        long open = 0;
        for (Server s : servers) {
            open += s.getConnectionCount();
        }
        return open;
    }

    // ---- HAProxy and the PROXY protocol ----------------------------------------------------------

    private RealBalancer haproxy(Server a, Server b) throws IOException {
        int front = RealBalancer.freePort();
        return RealBalancer.haproxy(dir, RealBalancer.config("haproxy.cfg", RealBalancer.ports(front, a.getPort(), b.getPort())), front);
    }

    @Test
    void behindHaproxyTheHandlerSeesTheClientFromThePROXYHeaderAndHaproxyAsThePeer() throws Exception {
        try (Server a = BalancedServer.behindProxyProtocol(0); Server b = BalancedServer.behindProxyProtocol(0);
             RealBalancer haproxy = haproxy(a, b)) {
            haproxy.awaitOk(client, "/health");
            for (int i = 0; i < 2; i++) { // round robin: one from each server
                HttpResponse<String> r = get(haproxy.uri(), "/whoami");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("client 127.0.0.2\npeer /127.0.0.1:")
                        .contains("uri http://127.0.0.1:" + haproxy.uri().getPort() + "/whoami");
            }
        }
    }

    @Test
    void aDrainingServerLeavesHaproxysRotationWithinItsGraceAndNoRequestFails() throws Exception {
        try (Server a = BalancedServer.behindProxyProtocol(0); Server b = BalancedServer.behindProxyProtocol(0);
             RealBalancer haproxy = haproxy(a, b)) {
            haproxy.awaitOk(client, "/whoami");
            Load load = load(haproxy.uri());
            AtomicInteger sent = load.sent();
            await("requests through HAProxy", () -> sent.get() >= 20);
            assertThat(a.getStatistics().getResponses(2)).as("a served some").isPositive();

            Thread drain = Thread.ofVirtual().start(() -> a.drain(BalancedServer.GRACE));
            await("a draining", a::isDraining);
            // a answers its health checks 503 now (class 5), so its 2xx count grows only with requests
            // HAProxy still sends it: wait until none came for a while, as long as a still drains
            long quietFrom = System.nanoTime();
            long served = a.getStatistics().getResponses(2);
            int sentThen = sent.get();
            while (System.nanoTime() - quietFrom < TimeUnit.MILLISECONDS.toNanos(500) || sent.get() - sentThen < 5) {
                assertThat(drain.isAlive()).as("HAProxy took a out of rotation before a closed").isTrue();
                if (a.getStatistics().getResponses(2) != served) {
                    served = a.getStatistics().getResponses(2);
                    quietFrom = System.nanoTime();
                    sentThen = sent.get();
                }
                Thread.sleep(20);
            }
            assertThat(drain.join(RealBalancer.WAIT)).as("drain returned").isTrue();
            int afterClose = sent.get();
            await("requests after a closed", () -> sent.get() >= afterClose + 20);
            assertThat(load.finish()).as("failed requests of %d", sent.get()).isEmpty();
            assertThat(a.getConnectionCount()).isZero();
        }
    }

    @Test
    void haproxyLeavesItsIdleConnectionsOpenUntilLadlesIdleTimeoutClosesThem() throws Exception {
        Duration idle = Duration.ofSeconds(5); // longer than HAProxy's pool-purge-delay
        try (Server a = BalancedServer.behindProxyProtocol(0); Server b = BalancedServer.behindProxyProtocol(0)) {
            a.setLimits(a.getLimits().setIdleTimeout(idle));
            b.setLimits(b.getLimits().setIdleTimeout(idle));
            try (RealBalancer haproxy = haproxy(a, b)) {
                haproxy.awaitOk(client, "/whoami");
                client.close(); // and with it its connection to HAProxy: the one to the server is left idle
                long start = System.nanoTime();
                await("the idle connection closed", () -> openConnections(a, b) == 0);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed by Ladle, not HAProxy")
                        .isGreaterThanOrEqualTo(idle.minusMillis(100));
                try (HttpClient next = HttpClient.newHttpClient()) {
                    assertThat(next.send(HttpRequest.newBuilder(haproxy.uri().resolve("/whoami")).build(),
                            BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                }
            }
        }
    }

    // ---- nginx and X-Forwarded-For -----------------------------------------------------------------

    private RealBalancer nginx(Server a, Server b, Map<String, String> more) throws IOException {
        int front = RealBalancer.freePort();
        Map<String, String> replacements = new HashMap<>(RealBalancer.ports(front, a.getPort(), b.getPort()));
        replacements.putAll(more);
        return RealBalancer.nginx(dir, RealBalancer.config("nginx-ladle.conf", replacements), front);
    }

    @Test
    void behindNginxTheHandlerSeesTheClientFromXForwardedForAndNotWhatTheClientWrote() throws Exception {
        try (Server a = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             Server b = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             RealBalancer nginx = nginx(a, b, Map.of())) {
            nginx.awaitOk(client, "/health");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = get(nginx.uri(), "/whoami", "X-Forwarded-For", "198.51.100.7",
                        "Forwarded", "for=198.51.100.8");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("client 127.0.0.2\npeer /127.0.0.1:")
                        .contains("uri http://127.0.0.1:" + nginx.uri().getPort() + "/whoami");
            }
            // nginx says http: a client's X-Forwarded-Proto does not get through
            HttpResponse<String> claim = get(nginx.uri(), "/whoami", "X-Forwarded-Proto", "https");
            assertThat(claim.body()).contains("uri http://");
        }
    }

    @Test
    void nginxClosesItsIdleConnectionsToTheServersAtItsKeepaliveTimeout() throws Exception {
        try (Server a = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             Server b = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             RealBalancer nginx = nginx(a, b, Map.of("keepalive_timeout 60s;", "keepalive_timeout 1s;"))) {
            nginx.awaitOk(client, "/whoami");
            long start = System.nanoTime();
            assertThat(openConnections(a, b)).as("nginx keeps its connection to the server alive").isEqualTo(1);
            await("nginx closing its idle connection", () -> openConnections(a, b) == 0);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThan(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(10));
            assertThat(a.getLimits().getIdleTimeout()).isEqualTo(Duration.ofSeconds(120));
        }
    }

    @Test
    void aServerThatDrainsBehindNginxLosesNoRequest() throws Exception {
        try (Server a = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             Server b = BalancedServer.behindForwardingProxy(0, "127.0.0.1");
             RealBalancer nginx = nginx(a, b, Map.of())) {
            nginx.awaitOk(client, "/whoami");
            Load load = load(nginx.uri());
            AtomicInteger sent = load.sent();
            await("requests through nginx", () -> sent.get() >= 20);
            a.drain(Duration.ofSeconds(1)); // nginx has no health checks: a serves to the end of its grace
            int afterClose = sent.get();
            await("requests after a closed", () -> sent.get() >= afterClose + 20);
            assertThat(load.finish()).as("failed requests of %d", sent.get()).isEmpty();
            assertThat(b.getStatistics().getResponses(2)).isPositive();
        }
    }

    // ---- draining on SIGTERM -------------------------------------------------------------------------

    /** GETs {@code path} on a new connection that starts with a PROXY header, as HAProxy's checks do. */
    private static String getWithProxyHeader(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) RealBalancer.WAIT.toMillis());
            socket.getOutputStream().write(new ProxyHeader(2, ProxyHeader.Command.LOCAL, null, null, List.of()).encode());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void onSigtermMainFailsTheHealthCheckWhileItDrainsThenStops() throws Exception {
        int port = RealBalancer.freePort();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BalancedServer.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            await("the server listening", () -> {
                try {
                    return getWithProxyHeader(port, "/health").startsWith("HTTP/1.1 200 ");
                } catch (IOException notYet) {
                    return false;
                }
            });
            long start = System.nanoTime();
            server.destroy(); // SIGTERM
            String health = "";
            // bounded: a server that never answers 503 fails here rather than hanging the build
            while (!health.startsWith("HTTP/1.1 503 ") && System.nanoTime() - start < BalancedServer.GRACE.toNanos()) {
                health = getWithProxyHeader(port, "/health");
            }
            assertThat(health).as("/health once SIGTERM arrived").startsWith("HTTP/1.1 503 ");
            assertThat(health).contains("Cache-Control: no-store").endsWith("draining\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BalancedServer.GRACE);
            assertThat(server.waitFor(RealBalancer.WAIT.toSeconds(), TimeUnit.SECONDS)).as("stopped").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(BalancedServer.GRACE);
            assertThat(server.exitValue()).as("the exit status of a JVM ended by SIGTERM").isEqualTo(143);
        } finally {
            server.destroyForcibly();
        }
    }
}
