package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ladle-httpd behind a load balancer, without one (issue 17 item 5): {@code --health}, draining on
 * SIGTERM for {@code --drain-grace}, {@code --reuse-port} and {@code --nonce-key-file}. The balancers
 * themselves are in {@code HaproxyIT} and {@code NginxIT}.
 */
class DrainIT {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("hello.txt"), "hello");
    }

    private HttpdProcess serve(String... flags) throws Exception {
        String[] args = new String[flags.length + 4];
        System.arraycopy(new String[] {"--bind", "127.0.0.1", "--port", "0"}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        return HttpdProcess.serve(dir, 1, args);
    }

    private static Socket connect(URI uri) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout((int) HttpdProcess.WAIT.toMillis());
        return socket;
    }

    @Test
    void sigtermWithHealthDrainsForTheGraceServingNewConnectionsThenStops() throws Exception {
        try (HttpdProcess httpd = serve("--health", "/health", "--drain-grace", "3s");
             Socket idle = connect(httpd.uri())) {
            assertThat(Clients.status(Clients.raw(httpd.uri(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
                    .isEqualTo(200);
            Clients.writeNow(idle.getOutputStream(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");

            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(httpd.awaitStderrLine(line -> line.contains("draining"))).contains("draining for 3 s");
            // the idle keep-alive connection answers its next request, with Connection: close
            Clients.writeNow(idle.getOutputStream(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            StringBuilder rest = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                rest.append((char) c);
            }
            assertThat(rest.toString()).contains("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n")
                    .endsWith("\r\n\r\nhello");
            // the listener stays open: health checks fail, files are still served, once per connection
            String health = Clients.raw(httpd.uri(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Clients.status(health)).isEqualTo(503);
            assertThat(health).contains("Connection: close").endsWith("draining\n");
            String file = Clients.raw(httpd.uri(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Clients.status(file)).isEqualTo(200);
            assertThat(file).contains("Connection: close").endsWith("hello");

            assertThat(httpd.awaitExit()).isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms to stop").isGreaterThanOrEqualTo(3000);
            assertThat(httpd.drainStderr()).contains("stopping").doesNotContain("Exception");
        }
    }

    @Test
    void theHealthPathNeedsNoCredentialsWhenTheFilesDo() throws Exception {
        try (HttpdProcess httpd = serve("--auth", "basic", "--user", "alice:secret", "--health", "/health")) {
            assertThat(Clients.get(httpd.uri(), "/health").statusCode()).isEqualTo(200);
            assertThat(Clients.get(httpd.uri(), "/hello.txt").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void reusePortLetsASecondInstanceListenOnTheSamePortAndTakeOver() throws Exception {
        try (HttpdProcess first = serve("--reuse-port")) {
            String port = Integer.toString(first.uri().getPort());
            try (HttpdProcess second = HttpdProcess.serve(dir, 1, "--bind", "127.0.0.1", "--port", port, "--reuse-port")) {
                assertThat(second.uri()).isEqualTo(first.uri());
                first.signal("TERM");
                assertThat(first.awaitExit()).isZero();
                assertThat(Clients.get(second.uri(), "/hello.txt").body()).isEqualTo("hello");
            }
        }
    }

    @Test
    void withoutReusePortASecondInstanceOnTheSamePortExits1() throws Exception {
        try (HttpdProcess first = serve("--reuse-port")) {
            String port = Integer.toString(first.uri().getPort());
            HttpdProcess.Result result = HttpdProcess.run(dir, "--bind", "127.0.0.1", "--port", port);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("127.0.0.1:" + port).contains("in use").doesNotContain("Exception");
        }
    }

    private static HttpResponse<String> getWithDigest(URI uri, String nonce) throws Exception {
        String authorization = DigestAnswer.authorization("alice", "secret", AuthSetup.REALM, nonce, "/hello.txt");
        return Clients.get(uri, "/hello.txt", "Authorization", authorization);
    }

    @Test
    void instancesGivenTheSameNonceKeyFileAcceptEachOthersDigestNonces() throws Exception {
        Path key = dir.resolve("nonce.key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String[] digest = {"--auth", "digest", "--user", "alice:secret"};
        try (HttpdProcess a = serve(concat(digest, "--nonce-key-file", key.toString()));
             HttpdProcess b = serve(concat(digest, "--nonce-key-file", key.toString()));
             HttpdProcess stranger = serve(digest)) {
            HttpResponse<String> challenge = Clients.get(a.uri(), "/hello.txt");
            assertThat(challenge.statusCode()).isEqualTo(401);
            String nonce = DigestAnswer.nonce(challenge.headers().allValues("WWW-Authenticate"));
            HttpResponse<String> answered = getWithDigest(b.uri(), nonce);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("hello");
            // a process with its own random key takes the nonce for a stale one: a new challenge
            HttpResponse<String> refused = getWithDigest(stranger.uri(), nonce);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().allValues("WWW-Authenticate")).anySatisfy(v -> assertThat(v).contains("stale=true"));
        }
    }

    @Test
    void aNonceKeyFileShorterThan16BytesStopsTheStartWithOneLine() throws Exception {
        Path key = dir.resolve("short.key");
        Files.writeString(key, "too short");
        HttpdProcess.Result result = HttpdProcess.run(dir, "--port", "0", "--auth", "digest", "--user", "alice:secret",
                "--nonce-key-file", key.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("--nonce-key-file").contains("at least 16").doesNotContain("Exception");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
