package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
    private static final long WAIT_SECONDS = HttpdProcess.WAIT.toSeconds();
    private static final Pattern UPGRADED = Pattern.compile("\"GET /ws HTTP/1\\.1\" 101 ");

    @TempDir
    Path dir;

    private Path nginx;
    private final List<HttpdProcess> instances = new ArrayList<>();
    private Balancer balancer;

    @BeforeEach
    void findNginx() {
        Optional<Path> binary = Balancer.find("nginx");
        assumeTrue(binary.isPresent(), Balancer.missing("nginx", "nginx-light"));
        nginx = binary.get();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (HttpdProcess instance : instances) {
            instance.close();
        }
    }

    private void startTwo(List<String> flags) throws Exception {
        RollingRestart.startTwo(dir, flags, instances);
        balancer = Balancer.nginx(nginx, Files.createDirectories(dir.resolve("nginx")),
                instances.get(0).uri().getPort(), instances.get(1).uri().getPort());
    }

    private Set<String> upstreams() {
        return Set.of("127.0.0.1:" + instances.get(0).uri().getPort(), "127.0.0.1:" + instances.get(1).uri().getPort());
    }

    /** One WebSocket session through nginx: what it received, and how it closed. */
    private static final class Session implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        WebSocket socket;

        static Session open(URI uri) throws Exception {
            Session session = new Session();
            session.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, session)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            return session;
        }

        /** Sends {@code message} and returns the echo. */
        String echo(String message) throws Exception {
            socket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
            String echoed = texts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(echoed).as("the echo of " + message).isNotNull();
            return echoed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.completeExceptionally(error);
        }
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
            int first = count(UPGRADED, instances.get(0).drainStdout());
            int second = count(UPGRADED, instances.get(1).drainStdout());
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
        startTwo(List.of("--ws-echo", "/ws", "--access-log", "--drain-grace", "3s"));
        balancer.awaitServedBy("/hello.txt", upstreams());
        URI ws = URI.create("ws://127.0.0.1:" + balancer.uri().getPort() + "/ws");

        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Session session = Session.open(ws);
            assertThat(session.echo("hello " + i)).isEqualTo("hello " + i);
            sessions.add(session);
        }
        int onFirst = upgradesOnFirst(6);
        assertThat(onFirst).as("sessions nginx sent to the first instance").isBetween(1, 5);

        HttpdProcess draining = instances.get(0);
        draining.signal("TERM");
        draining.awaitStderrLine(line -> line.contains("draining"));
        // the first instance's sessions end with 1001 at once; the access log said how many there are
        long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
        List<Session> closed = new ArrayList<>();
        while (closed.size() < onFirst) {
            closed = sessions.stream().filter(session -> session.closeCode.isDone()).toList();
            assertThat(System.nanoTime() - deadline).as("%d of %d sessions closed", closed.size(), onFirst).isNegative();
            Thread.sleep(20);
        }
        assertThat(closed).hasSize(onFirst);
        for (Session session : closed) {
            assertThat(session.closeCode.get()).isEqualTo(1001);
        }
        // the other instance's sessions go on
        for (Session session : sessions) {
            if (!closed.contains(session)) {
                assertThat(session.echo("still here")).isEqualTo("still here");
            }
        }
        // reconnecting while the first instance drains: its 503 sends nginx to the other one (two
        // handshakes at least, so that round robin offers one of them to the draining instance)
        for (int i = 0; i < Math.max(2, closed.size()); i++) {
            Session again = Session.open(ws);
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
        RollingRestart.startTwo(dir, List.of("--proxy-protocol", "--access-log"), instances);
        balancer = Balancer.nginx(nginx, Files.createDirectories(dir.resolve("nginx")), "nginx-proxy-protocol.conf",
                instances.get(0).uri().getPort(), instances.get(1).uri().getPort(),
                Map.of("LOAD_STREAM", streamModule.get()));

        // a connection per request from 127.0.0.2: the stream balancer takes turns per connection
        for (int i = 0; i < 4; i++) {
            String response = getThroughStream("/hello.txt?n=" + i);
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("hello");
        }

        String clientAddress = Clients.OTHER_LOOPBACK.getHostAddress() + " - - [";
        for (HttpdProcess instance : instances) {
            assertThat(instance.awaitStdoutLine(line -> line.contains("\"GET /hello.txt?n="))).startsWith(clientAddress);
        }
        String logs = instances.get(0).drainStdout() + instances.get(1).drainStdout();
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
        byte[] payload = new byte[8 * 1024];
        new Random(17).nextBytes(payload);
        Files.write(dir.resolve("payload.bin"), payload);
        List<String> flags = List.of("--reuse-port", "--drain-grace", "1s");
        startTwo(flags);
        balancer.awaitServedBy("/payload.bin", upstreams());

        KeepAliveLoad load = KeepAliveLoad.start(balancer.uri(), "/payload.bin", payload, 4);
        List<RollingRestart.Restart> restarts = RollingRestart.run(instances, dir, flags);
        long before = load.ok();
        balancer.awaitServedBy("/payload.bin", upstreams());
        KeepAliveLoad.Figures figures = load.stop();

        System.out.println("nginx rolling restart: " + figures + "; " + balancer.retried());
        restarts.forEach(r -> System.out.println("nginx rolling restart: " + r));
        assertThat(figures.failed()).as("failed requests; the first: %s\nnginx said:\n%s", figures.firstFailures(),
                balancer.output()).isZero();
        assertThat(figures.ok()).isGreaterThan(before).isEqualTo(figures.sent());
        assertThat(figures.sent()).as("requests sent during the restarts").isGreaterThan(100);
    }
}
