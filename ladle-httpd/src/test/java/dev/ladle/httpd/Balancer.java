package dev.ladle.httpd;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real load balancer (Debian's {@code haproxy} or {@code nginx}) run in the foreground on an ephemeral
 * port, with a configuration from {@code src/test/resources/balancers/} written to a temporary directory.
 * The tests skip themselves where the binary is missing ({@link #find}).
 */
final class Balancer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final URI uri;
    private final Path log;

    private Balancer(String name, Process process, URI uri, Path log) {
        this.name = name;
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Returns the path of the executable {@code name} on the PATH or in the sbin directories, if any. */
    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The reason a test gives when it skips for want of {@code binary}. */
    static String missing(String binary, String debianPackage) {
        return binary + " is not installed (apt-get install " + debianPackage + "; .ci/run installs it when run as root)";
    }

    /**
     * Returns a port that was free a moment ago. The balancer must be told its port in its configuration;
     * another process could take it in between, which on a test machine does not happen in practice.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** Returns the configuration template {@code resource} with each {@code {{KEY}}} replaced. */
    static String config(String resource, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = Balancer.class.getResourceAsStream("/balancers/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource balancers/" + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalStateException("unfilled placeholder in " + resource + ":\n" + text);
        }
        return text;
    }

    /** Starts HAProxy in front of {@code backendPorts} (two) with {@code haproxy.cfg}. */
    static Balancer haproxy(Path binary, Path dir, int portA, int portB) throws IOException {
        return haproxy(binary, dir, "haproxy.cfg", portA, portB);
    }

    /** Starts HAProxy in front of {@code backendPorts} (two) with the configuration {@code resource}. */
    static Balancer haproxy(Path binary, Path dir, String resource, int portA, int portB) throws IOException {
        int port = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(resource, Map.of("FRONTEND_PORT", Integer.toString(port),
                "PORT_A", Integer.toString(portA), "PORT_B", Integer.toString(portB), "DIR", dir.toString())));
        Path log = dir.resolve("haproxy.out");
        // -db: foreground, no daemon; -W would add a master process that only complicates stopping
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Balancer("haproxy", process, URI.create("http://127.0.0.1:" + port + "/"), log);
    }

    /** Starts nginx in front of {@code backendPorts} (two) with {@code nginx.conf}. */
    static Balancer nginx(Path binary, Path dir, int portA, int portB) throws IOException {
        return nginx(binary, dir, "nginx.conf", portA, portB, Map.of());
    }

    /**
     * Starts nginx in front of {@code backendPorts} (two) with the configuration {@code resource}, its
     * placeholders beyond the ports, the directory and the user filled from {@code more}.
     */
    static Balancer nginx(Path binary, Path dir, String resource, int portA, int portB, Map<String, String> more)
            throws IOException {
        int port = freePort();
        Path conf = dir.resolve("nginx.conf");
        Map<String, String> values = new HashMap<>(more);
        values.put("FRONTEND_PORT", Integer.toString(port));
        values.put("PORT_A", Integer.toString(portA));
        values.put("PORT_B", Integer.toString(portB));
        values.put("DIR", dir.toString());
        // as root, the worker would run as nobody, who cannot use the temporary directory
        values.put("USER", "root".equals(System.getProperty("user.name")) ? "user root;" : "");
        Files.writeString(conf, config(resource, values));
        Path log = dir.resolve("nginx.out");
        Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Balancer("nginx", process, URI.create("http://127.0.0.1:" + port + "/"), log);
    }

    /**
     * Returns what an nginx configuration needs to use the {@code stream} module (layer 4 proxying, the
     * only place nginx sends a PROXY header to its upstreams): nothing when it is built in, a
     * {@code load_module} line when Debian's {@code libnginx-mod-stream} (or the like) installed it,
     * empty when this nginx has none.
     */
    static Optional<String> nginxStreamModule(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "-V").redirectErrorStream(true).start();
        String build = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        if (Pattern.compile("--with-stream(\\s|$)").matcher(build).find()) {
            return Optional.of("");
        }
        for (String dir : List.of("/usr/lib/nginx/modules", "/usr/share/nginx/modules", "/usr/lib64/nginx/modules")) {
            Path module = Path.of(dir, "ngx_stream_module.so");
            if (Files.isRegularFile(module)) {
                return Optional.of("load_module " + module + ";");
            }
        }
        return Optional.empty();
    }

    /** The balancer's frontend. */
    URI uri() {
        return uri;
    }

    /**
     * Waits until a GET of {@code path} through the balancer has been answered 200 by each of
     * {@code servers} (the {@code X-Served-By} values), polling: nothing tells when a balancer is ready.
     */
    void awaitServedBy(String path, Set<String> servers) throws IOException, InterruptedException {
        awaitServedBy(Clients.HTTP, path, servers);
    }

    /** As {@link #awaitServedBy(String, Set)}, sending with {@code client}. */
    void awaitServedBy(HttpClient client, String path, Set<String> servers) throws IOException, InterruptedException {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + HttpdProcess.WAIT.toNanos();
        while (!seen.containsAll(servers)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not reach " + servers + " within " + HttpdProcess.WAIT
                        + " (seen " + seen + "):\n" + output());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri.resolve(path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    r.headers().firstValue("X-Served-By").ifPresent(seen::add);
                    continue;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
    }

    /**
     * What the balancer did behind the client's back: for HAProxy the backend's retries and redispatches
     * (its stats socket), for nginx the upstream errors it logged (each retried on the other server).
     */
    String retried() {
        try {
            return retriedOrFail();
        } catch (IOException | RuntimeException e) {
            return "(" + name + "'s own counts unavailable: " + e + ")";
        }
    }

    private String retriedOrFail() throws IOException {
        if (name.equals("nginx")) {
            long errors = output().lines().filter(line -> line.contains("[error]")).count();
            return errors + " upstream errors logged by nginx (each retried on the other server)";
        }
        String csv;
        try (SocketChannel stats = SocketChannel.open(UnixDomainSocketAddress.of(log.resolveSibling("haproxy.sock")))) {
            stats.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            csv = new String(Channels.newInputStream(stats).readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().replace("# ", "").split(","));
        String backend = csv.lines().filter(line -> line.startsWith("ladle,BACKEND,")).findFirst().orElseThrow();
        String[] values = backend.split(",", -1);
        return values[header.indexOf("wretr")] + " retries and " + values[header.indexOf("wredis")]
                + " redispatches by HAProxy";
    }

    /** What the balancer printed so far (its own log for nginx too). */
    String output() {
        StringBuilder sb = new StringBuilder();
        for (Path file : List.of(log, log.resolveSibling("error.log"))) {
            try {
                if (Files.exists(file)) {
                    sb.append(Files.readString(file));
                }
            } catch (IOException e) {
                sb.append("[").append(file).append(": ").append(e).append("]\n");
            }
        }
        return sb.toString();
    }

    /** Stops the balancer (SIGTERM, then SIGKILL if it lingers). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
