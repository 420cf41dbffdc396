package dev.ladle.examples.guide.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy or nginx run for real, in the foreground, with one of the guide's configurations
 * ({@code src/main/resources/guide/}) whose example ports the test replaces by ephemeral ones.
 * {@link #require} skips the test where the program is not installed ({@code .ci/run} installs both).
 */
final class RealBalancer implements AutoCloseable {
    /** How long a test waits for anything the balancer does. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final URI uri;
    private final Path dir;

    private RealBalancer(String name, Process process, URI uri, Path dir) {
        this.name = name;
        this.process = process;
        this.uri = uri;
        this.dir = dir;
    }

    /** Returns the executable {@code binary} from the PATH or an sbin directory; skips the test without it. */
    static Path require(String binary) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        Optional<Path> found = dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, binary))
                .filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), binary + " is not installed (.ci/run installs it when run as root)");
        return found.get();
    }

    /** Returns a port that was free a moment ago: the balancer must be told its port in its configuration. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Returns the guide's configuration {@code resource} with each key of {@code replacements} (text that
     * must occur in it) replaced by its value.
     */
    static String config(String resource, Map<String, String> replacements) throws IOException {
        String text;
        try (InputStream in = RealBalancer.class.getResourceAsStream("/guide/" + resource)) {
            assertThat(in).as("resource guide/%s", resource).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            assertThat(text).as("guide/%s", resource).contains(e.getKey());
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    /** The replacements of the example ports 8080 (the balancer), 8081 and 8082 (the two servers). */
    static Map<String, String> ports(int front, int a, int b) {
        return Map.of("127.0.0.1:8080", "127.0.0.1:" + front, "127.0.0.1:8081", "127.0.0.1:" + a,
                "127.0.0.1:8082", "127.0.0.1:" + b);
    }

    /** Starts HAProxy with {@code config}, a whole {@code haproxy.cfg} listening on {@code front}. */
    static RealBalancer haproxy(Path dir, String config, int front) throws IOException {
        Path binary = require("haproxy");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config);
        // -db: in the foreground, no daemon
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        return new RealBalancer("haproxy", process, URI.create("http://127.0.0.1:" + front + "/"), dir);
    }

    /**
     * Starts nginx with {@code config}, the contents of an {@code http} block listening on {@code front},
     * included by a main configuration that keeps nginx's files in {@code dir}.
     */
    static RealBalancer nginx(Path dir, String config, int front) throws IOException {
        Path binary = require("nginx");
        Files.writeString(dir.resolve("ladle.conf"), config);
        StringBuilder main = new StringBuilder("worker_processes 1;\nevents { worker_connections 256; }\nhttp {\n    access_log off;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            main.append("    ").append(temp).append("_temp_path ").append(dir.resolve(temp)).append(";\n");
        }
        main.append("    include ").append(dir.resolve("ladle.conf")).append(";\n}\n");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, main);
        // as root, the worker would run as nobody, who cannot enter the temporary directory
        String global = "daemon off; pid " + dir.resolve("nginx.pid") + ";"
                + ("root".equals(System.getProperty("user.name")) ? " user root;" : "");
        Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString(), "-g", global)
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        return new RealBalancer("nginx", process, URI.create("http://127.0.0.1:" + front + "/"), dir);
    }

    /** The balancer's frontend. */
    URI uri() {
        return uri;
    }

    /** Waits until a GET of {@code path} through the balancer is answered 200; nothing else tells it is ready. */
    void awaitOk(HttpClient client, String path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            assertThat(process.isAlive()).as("%s running; it said:\n%s", name, output()).isTrue();
            assertThat(System.nanoTime()).as("%s answering 200; it said:\n%s", name, output()).isLessThan(deadline);
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri.resolve(path)).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
    }

    /** What the balancer printed. */
    String output() {
        StringBuilder sb = new StringBuilder();
        for (String file : List.of("out.log", "error.log")) {
            try {
                if (Files.exists(dir.resolve(file))) {
                    sb.append(Files.readString(dir.resolve(file)));
                }
            } catch (IOException e) {
                sb.append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** Stops the balancer: SIGTERM, then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
