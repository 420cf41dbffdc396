package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ladle-httpd instances behind a real HAProxy ({@code src/test/resources/balancers/haproxy.cfg}):
 * a rolling restart under load loses nothing, a Digest challenge from one instance is answered at the
 * other, and with {@code send-proxy-v2} ({@code haproxy-send-proxy.cfg}) their access logs name the
 * client rather than HAProxy (issue 17 item 6). Skipped where Debian's {@code haproxy} is not installed.
 */
class HaproxyIT {
    /** The drain grace of the instances: HAProxy's checks (200 ms apart, two failures) notice well within it. */
    private static final String GRACE = "1s";

    @TempDir
    Path dir;

    private Path haproxy;
    private final List<HttpdProcess> instances = new ArrayList<>();
    private Balancer balancer;

    @BeforeEach
    void findHaproxy() {
        Optional<Path> binary = Balancer.find("haproxy");
        assumeTrue(binary.isPresent(), Balancer.missing("haproxy", "haproxy"));
        haproxy = binary.get();
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
        balancer = Balancer.haproxy(haproxy, Files.createDirectories(dir.resolve("haproxy")),
                instances.get(0).uri().getPort(), instances.get(1).uri().getPort());
    }

    @Test
    void aRollingRestartUnderKeepAliveLoadLosesNoRequest() throws Exception {
        byte[] payload = new byte[8 * 1024];
        new Random(17).nextBytes(payload);
        Files.write(dir.resolve("payload.bin"), payload);
        List<String> flags = List.of("--reuse-port", "--health", "/health", "--drain-grace", GRACE);
        startTwo(flags);
        balancer.awaitServedBy("/payload.bin", Set.of("a", "b"));

        KeepAliveLoad load = KeepAliveLoad.start(balancer.uri(), "/payload.bin", payload, 4);
        List<RollingRestart.Restart> restarts = RollingRestart.run(instances, dir, flags);
        // after both restarts only the new processes are left: they serve what follows
        long before = load.ok();
        balancer.awaitServedBy("/payload.bin", Set.of("a", "b"));
        KeepAliveLoad.Figures figures = load.stop();

        System.out.println("HAProxy rolling restart: " + figures + "; " + balancer.retried());
        restarts.forEach(r -> System.out.println("HAProxy rolling restart: " + r));
        assertThat(figures.failed()).as("failed requests; the first: %s\nHAProxy said:\n%s", figures.firstFailures(),
                balancer.output()).isZero();
        assertThat(figures.ok()).isGreaterThan(before).isEqualTo(figures.sent());
        assertThat(figures.sent()).as("requests sent during the restarts").isGreaterThan(100);
    }

    @Test
    void withSendProxyV2TheAccessLogsShowTheClientsAddressNotHaproxys() throws Exception {
        assumeTrue(Clients.otherLoopbackWorks(), "cannot bind a client socket to " + Clients.OTHER_LOOPBACK);
        Files.writeString(dir.resolve("hello.txt"), "hello");
        RollingRestart.startTwo(dir, List.of("--proxy-protocol", "--health", "/health", "--access-log"), instances);
        balancer = Balancer.haproxy(haproxy, Files.createDirectories(dir.resolve("haproxy")), "haproxy-send-proxy.cfg",
                instances.get(0).uri().getPort(), instances.get(1).uri().getPort());
        // the client on 127.0.0.2, HAProxy on 127.0.0.1 (where it connects from too)
        HttpClient client = Clients.boundTo(Clients.OTHER_LOOPBACK, null);

        // both serve only once HAProxy's checks pass, which takes a PROXY header on the checks as well
        balancer.awaitServedBy(client, "/hello.txt", Set.of("a", "b"));

        String clientAddress = Clients.OTHER_LOOPBACK.getHostAddress() + " - - [";
        for (HttpdProcess instance : instances) {
            assertThat(instance.awaitStdoutLine(line -> line.contains("\"GET /hello.txt "))).startsWith(clientAddress);
            assertThat(instance.drainStdout().lines().filter(line -> line.contains("\"GET /hello.txt ")))
                    .as("the access log of %s", instance.uri()).allSatisfy(line -> assertThat(line).startsWith(clientAddress));
        }
    }

    @Test
    void aDigestChallengeFromOneInstanceIsAnsweredAtTheOther() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        Path key = dir.resolve("nonce.key");
        Files.write(key, "an example key shared by both instances".getBytes(StandardCharsets.US_ASCII));
        startTwo(List.of("--health", "/health", "--auth", "digest", "--user", "alice:secret",
                "--nonce-key-file", key.toString()));
        balancer.awaitServedBy("/health", Set.of("a", "b"));

        HttpResponse<String> challenge = Clients.HTTP.send(HttpRequest.newBuilder(balancer.uri().resolve("/hello.txt"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(challenge.statusCode()).isEqualTo(401);
        String challenger = challenge.headers().firstValue("X-Served-By").orElseThrow();
        String nonce = DigestAnswer.nonce(challenge.headers().allValues("WWW-Authenticate"));
        // round robin sends the next request to the other instance; a few tries in case a check reordered it
        String answerer = challenger;
        for (int nc = 1; nc <= 6 && answerer.equals(challenger); nc++) {
            HttpResponse<String> answered = Clients.HTTP.send(HttpRequest.newBuilder(balancer.uri().resolve("/hello.txt"))
                    .header("Authorization", DigestAnswer.authorization("alice", "secret", AuthSetup.REALM, nonce,
                            "/hello.txt", nc)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answered.statusCode()).as("answer %d through HAProxy", nc).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("hello");
            answerer = answered.headers().firstValue("X-Served-By").orElseThrow();
        }
        assertThat(answerer).as("the instance that accepted the answer").isNotEqualTo(challenger);
    }
}
