package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ladle-httpd instances started with {@code --trusted-proxy 127.0.0.1 --trusted-headers x-forwarded
 * --hsts 600} behind a real nginx that ends http and https and says so in {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} ({@code src/test/resources/balancers/nginx-forwarded.conf}; issue 17 item 6).
 * The client is bound to 127.0.0.2, nginx is on 127.0.0.1, so an access log naming the client is told
 * apart from one naming nginx. The https the client used shows in the instances' answers as the
 * {@code Strict-Transport-Security} field ladle-httpd sends on https requests only. One nginx and one
 * pair of instances serve every test; each test tells its own requests by their query. Skipped where
 * Debian's {@code nginx} is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxForwardingIT {
    private static final String HSTS = "max-age=600";

    private final List<HttpdProcess> instances = new ArrayList<>();
    private Balancer balancer;
    private URI https;
    private HttpClient plainClient;
    private HttpClient httpsClient;

    @BeforeAll
    void startNginxInFrontOfTwoInstances(@TempDir Path dir) throws Exception {
        Optional<Path> nginx = Balancer.find("nginx");
        assumeTrue(nginx.isPresent(), Balancer.missing("nginx", "nginx-light"));
        assumeTrue(Clients.otherLoopbackWorks(), "cannot bind a client socket to " + Clients.OTHER_LOOPBACK);
        Certificates certificates = Certificates.create(Files.createDirectories(dir.resolve("certificates")));
        Files.writeString(dir.resolve("hello.txt"), "hello");
        RollingRestart.startTwo(dir, List.of("--trusted-proxy", "127.0.0.1", "--trusted-headers", "x-forwarded",
                "--hsts", "600", "--access-log"), instances);
        int tlsPort = Balancer.freePort();
        balancer = Balancer.nginx(nginx.get(), Files.createDirectories(dir.resolve("nginx")), "nginx-forwarded.conf",
                instances.get(0).uri().getPort(), instances.get(1).uri().getPort(), Map.of("TLS_PORT",
                        Integer.toString(tlsPort), "CERT", certificates.serverCert.toString(),
                        "KEY", certificates.serverKey.toString()));
        https = URI.create("https://127.0.0.1:" + tlsPort + "/");
        plainClient = Clients.boundTo(Clients.OTHER_LOOPBACK, null);
        httpsClient = Clients.boundTo(Clients.OTHER_LOOPBACK, certificates.trustingClientContext());
        balancer.awaitServedBy(plainClient, "/hello.txt", Set.of("127.0.0.1:" + instances.get(0).uri().getPort(),
                "127.0.0.1:" + instances.get(1).uri().getPort()));
    }

    @AfterAll
    void stopAll() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (HttpdProcess instance : instances) {
            instance.close();
        }
    }

    private HttpResponse<String> get(HttpClient client, URI base, String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(target)).timeout(HttpdProcess.WAIT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s through nginx", target).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
        return response;
    }

    /** Returns the access log line of {@code target} from the instance that answered {@code response}. */
    private String logLine(HttpResponse<String> response, String target) throws InterruptedException {
        String servedBy = response.headers().firstValue("X-Served-By").orElseThrow();
        HttpdProcess instance = instances.stream().filter(i -> servedBy.equals("127.0.0.1:" + i.uri().getPort()))
                .findFirst().orElseThrow(() -> new AssertionError("served by an unknown upstream " + servedBy));
        return instance.awaitStdoutLine(line -> line.contains("\"GET " + target + " "));
    }

    private static String clientAddress() {
        return Clients.OTHER_LOOPBACK.getHostAddress() + " - - [";
    }

    @Test
    void theAccessLogNamesTheClientThatNginxPutInXForwardedFor() throws Exception {
        String target = "/hello.txt?test=xff";
        assertThat(logLine(get(plainClient, balancer.uri(), target), target)).startsWith(clientAddress());
    }

    @Test
    void addressesTheClientWritesInItsOwnForwardingFieldsAreIgnored() throws Exception {
        String target = "/hello.txt?test=spoof";
        // nginx appends the address it saw to this X-Forwarded-For, and passes the Forwarded on as it is;
        // --trusted-headers x-forwarded leaves the latter unread
        HttpResponse<String> response = get(plainClient, balancer.uri(), target,
                "X-Forwarded-For", "198.51.100.7", "Forwarded", "for=198.51.100.8");
        assertThat(logLine(response, target)).startsWith(clientAddress());
    }

    @Test
    void httpsEndedAtNginxReachesTheInstanceAsHttps() throws Exception {
        String target = "/hello.txt?test=https";
        HttpResponse<String> response = get(httpsClient, https, target);
        assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue(HSTS);
        assertThat(logLine(response, target)).startsWith(clientAddress());
    }

    @Test
    void plainHttpThroughNginxStaysHttpEvenWhenTheClientClaimsHttps() throws Exception {
        String target = "/hello.txt?test=plain";
        // nginx replaces the client's X-Forwarded-Proto with the scheme it saw
        HttpResponse<String> response = get(plainClient, balancer.uri(), target, "X-Forwarded-Proto", "https");
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(logLine(response, target)).startsWith(clientAddress());
    }
}
