package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private final BalancedPair pair = new BalancedPair();
    private Balancer balancer;

    @BeforeEach
    void findHaproxy() {
        haproxy = Balancer.require("haproxy", "haproxy");
    }

    @AfterEach
    void stopAll() throws Exception {
        pair.close();
    }

    /** Starts two instances with {@code flags} and HAProxy in front of them with the configuration {@code config}. */
    private void startTwo(String config, List<String> flags) throws Exception {
        Path haproxyDir = Files.createDirectories(dir.resolve("haproxy"));
        balancer = pair.start(dir, flags, (a, b) -> Balancer.haproxy(haproxy, haproxyDir, config, a, b));
    }

    @Test
    void aRollingRestartUnderKeepAliveLoadLosesNoRequest() throws Exception {
        List<String> flags = List.of("--reuse-port", "--health", "/health", "--drain-grace", GRACE);
        startTwo("haproxy.cfg", flags);
        pair.assertARollingRestartLosesNoRequest(dir, flags, Set.of("a", "b"));
    }

    @Test
    void withSendProxyV2TheAccessLogsShowTheClientsAddressNotHaproxys() throws Exception {
        assumeTrue(Clients.otherLoopbackWorks(), "cannot bind a client socket to " + Clients.OTHER_LOOPBACK);
        Files.writeString(dir.resolve("hello.txt"), "hello");
        startTwo("haproxy-send-proxy.cfg", List.of("--proxy-protocol", "--health", "/health", "--access-log"));
        // the client on 127.0.0.2, HAProxy on 127.0.0.1 (where it connects from too)
        HttpClient client = Clients.boundTo(Clients.OTHER_LOOPBACK, null);

        // both serve only once HAProxy's checks pass, which takes a PROXY header on the checks as well
        balancer.awaitServedBy(client, "/hello.txt", Set.of("a", "b"));

        String clientAddress = Clients.OTHER_LOOPBACK.getHostAddress() + " - - [";
        for (HttpdProcess instance : pair.instances) {
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
        startTwo("haproxy.cfg", List.of("--health", "/health", "--auth", "digest", "--user", "alice:secret",
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
