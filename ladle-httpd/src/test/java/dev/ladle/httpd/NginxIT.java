package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ladle-httpd instances behind a real nginx ({@code src/test/resources/balancers/nginx.conf}):
 * WebSocket sessions through it survive one instance's drain by reconnecting, a rolling restart under
 * load loses nothing, and as a layer 4 balancer sending PROXY headers ({@code nginx-proxy-protocol.conf})
 * it leaves the client's address in their access logs (issue 17 item 6). Skipped where Debian's
 * {@code nginx} is not installed. {@code NginxForwardingIT} has nginx with {@code X-Forwarded-*} and https.
 */
class NginxIT {
    private static final Pattern UPGRADED = Pattern.compile("\"GET /ws HTTP/1\\.1\" 101 ");

    @TempDir
    Path dir;

    private Path nginx;
    private final BalancedPair pair = new BalancedPair();
    private Balancer balancer;

    @BeforeEach
    void findNginx() {
        nginx = Balancer.require("nginx", "nginx-light");
    }

    @AfterEach
    void stopAll() throws Exception {
        pair.close();
    }

    /** Starts two instances with {@code flags} and nginx in front of them with {@code config}, filled from {@code more}. */
    private void startTwo(String config, List<String> flags, Map<String, String> more) throws Exception {
        Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
        balancer = pair.start(dir, flags, (a, b) -> Balancer.nginx(nginx, nginxDir, config, a, b, more));
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Waits until the two access logs together show {@code total} upgrades; returns the first one's count. */
    private int upgradesOnFirst(int total) throws InterruptedException {
        long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
        while (true) {
            int first = count(UPGRADED, pair.instances.get(0).drainStdout());
            int second = count(UPGRADED, pair.instances.get(1).drainStdout());
            if (first + second == total) {
                return first;
            }
            assertThat(System.nanoTime() - deadline).as("%d upgrades logged, %d expected", first + second, total)
                    .isNegative();
            // the access log lines come through a pipe: nothing signals them
            Thread.sleep(20);
        }
    }

    @Test
    void webSocketSessionsThroughNginxReconnectToTheOtherInstanceWhenOneDrains() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        startTwo("nginx.conf", List.of("--ws-echo", "/ws", "--access-log", "--drain-grace", "3s"), Map.of());
        balancer.awaitServedBy("/hello.txt", pair.upstreams());
        URI ws = URI.create("ws://127.0.0.1:" + balancer.uri().getPort() + "/ws");

        List<WebSocketSession> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            WebSocketSession session = WebSocketSession.open(ws);
            assertThat(session.echo("hello " + i)).isEqualTo("hello " + i);
            sessions.add(session);
        }
        int onFirst = upgradesOnFirst(6);
        assertThat(onFirst).as("sessions nginx sent to the first instance").isBetween(1, 5);

        HttpdProcess draining = pair.instances.get(0);
        draining.signal("TERM");
        draining.awaitStderrLine(line -> line.contains("draining"));
        // the first instance's sessions end with 1001 at once; the access log said how many there are
        long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
        List<WebSocketSession> closed = new ArrayList<>();
        while (closed.size() < onFirst) {
            closed = sessions.stream().filter(session -> session.closeCode.isDone()).toList();
            assertThat(System.nanoTime() - deadline).as("%d of %d sessions closed", closed.size(), onFirst).isNegative();
            Thread.sleep(20);
        }
        assertThat(closed).hasSize(onFirst);
        for (WebSocketSession session : closed) {
            assertThat(session.closeCode.get()).isEqualTo(1001);
        }
        // the other instance's sessions go on
        for (WebSocketSession session : sessions) {
            if (!closed.contains(session)) {
                assertThat(session.echo("still here")).isEqualTo("still here");
            }
        }
        // reconnecting while the first instance drains: its 503 sends nginx to the other one (two
        // handshakes at least, so that round robin offers one of them to the draining instance)
        for (int i = 0; i < Math.max(2, closed.size()); i++) {
            WebSocketSession again = WebSocketSession.open(ws);
            assertThat(again.echo("again " + i)).isEqualTo("again " + i);
            sessions.add(again);
        }
        assertThat(draining.awaitExit()).isZero();
        assertThat(draining.drainStdout()).contains("\"GET /ws HTTP/1.1\" 503 ");
    }

    @Test
    void withProxyProtocolFromNginxTheAccessLogsShowTheClientsAddress() throws Exception {
        assumeTrue(Clients.otherLoopbackWorks(), "cannot bind a client socket to " + Clients.OTHER_LOOPBACK);
        Optional<String> streamModule = Balancer.nginxStreamModule(nginx);
        assumeTrue(streamModule.isPresent(), "nginx has no stream module (apt-get install libnginx-mod-stream;"
                + " .ci/run installs it when run as root)");
        Files.writeString(dir.resolve("hello.txt"), "hello");
        startTwo("nginx-proxy-protocol.conf", List.of("--proxy-protocol", "--access-log"),
                Map.of("LOAD_STREAM", streamModule.get()));

        // a connection per request from 127.0.0.2: the stream balancer takes turns per connection
        for (int i = 0; i < 4; i++) {
            String response = getThroughStream("/hello.txt?n=" + i);
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("hello");
        }

        String clientAddress = Clients.OTHER_LOOPBACK.getHostAddress() + " - - [";
        for (HttpdProcess instance : pair.instances) {
            assertThat(instance.awaitStdoutLine(line -> line.contains("\"GET /hello.txt?n="))).startsWith(clientAddress);
        }
        String logs = pair.instances.get(0).drainStdout() + pair.instances.get(1).drainStdout();
        assertThat(logs.lines().filter(line -> line.contains("\"GET /hello.txt?n="))).allSatisfy(
                line -> assertThat(line).startsWith(clientAddress));
    }

    /** GETs {@code target} on a new connection from 127.0.0.2, retrying while nginx does not listen yet. */
    private String getThroughStream(String target) throws Exception {
        long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
        while (true) {
            try {
                return Clients.rawFrom(Clients.OTHER_LOOPBACK, balancer.uri(),
                        "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            } catch (ConnectException notYet) {
                assertThat(System.nanoTime() - deadline).as("nginx listening; it said:\n%s", balancer.output()).isNegative();
                // nothing tells when nginx listens
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aRollingRestartUnderKeepAliveLoadLosesNoRequest() throws Exception {
        List<String> flags = List.of("--reuse-port", "--drain-grace", "1s");
        startTwo("nginx.conf", flags, Map.of());
        pair.assertARollingRestartLosesNoRequest(dir, flags, pair.upstreams());
    }
}
