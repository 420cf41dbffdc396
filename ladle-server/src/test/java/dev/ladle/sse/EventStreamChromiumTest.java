package dev.ladle.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.tls.TlsCertificate;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser's {@code EventSource}: headless Chromium loads a page from the test server whose script
 * collects three events, the third on a second connection after the server ended the first and the
 * browser reconnected with {@code Last-Event-ID}, and posts what it got back to the server; over plain
 * HTTP/1.1 and over HTTP/2 (TLS, ALPN {@code h2}, a self-signed certificate made with {@code openssl}).
 * Skipped where no {@code chromium} is on the PATH ({@code .ci/run} installs it).
 */
class EventStreamChromiumTest {
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>events</title></head><body>
            <script>
            const got = [];
            const source = new EventSource('/events');
            function take(e) {
                got.push(e.type + '|' + e.data + '|' + e.lastEventId);
                if (got.length === 3) {
                    source.close();
                    fetch('/result', {method: 'POST', body: JSON.stringify(got)});
                }
            }
            source.onmessage = take;
            source.addEventListener('tick', take);
            </script>
            </body></html>
            """;

    /** What the page posts: type, data and lastEventId of each event, as JSON. */
    private static final String EXPECTED = "[\"message|one|1\",\"tick|two\\nlines|2\",\"message|three after 2|3\"]";

    @TempDir
    static Path dir;
    static Path chromium;
    /** A self-signed certificate for 127.0.0.1, or null when openssl could not make one. */
    static TlsCertificate certificate;

    private Server server;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    /** The {@code Last-Event-ID} of each connection the page opened ("none" for none). */
    private final BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
    /** The HTTP version of each connection the page opened. */
    private final BlockingQueue<String> versions = new LinkedBlockingQueue<>();

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium", "chromium-browser");
        Assumptions.assumeTrue(chromium != null, "chromium is not installed");
        certificate = selfSigned();
    }

    private static TlsCertificate selfSigned() {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        try {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                return null;
            }
            return TlsCertificate.fromPemFiles(cert, key);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Path onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setLimits(new Limits().setShutdownTimeout(Duration.ofSeconds(1)));
        server.addHandler("/page", (s, msg, path, query) -> {
            msg.setResponse("text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.addHandler("/events", (s, msg, path, query) -> {
            EventStream events = EventStream.open(msg);
            String last = events.getLastEventId();
            lastEventIds.add(last == null ? "none" : last);
            versions.add(msg.getHttpVersion().text());
            if (last == null) {
                // a short retry so that the browser comes back at once when this first stream ends
                events.send(Event.of("one").withId("1").withRetry(Duration.ofMillis(100)));
                events.send(Event.of("tick", "two\nlines").withId("2"));
                events.close();
            } else {
                events.send(Event.of("three after " + last).withId("3"));
            }
        });
        server.addHandler("/result", (s, msg, path, query) -> {
            result.complete(new String(msg.getRequestBody().flatten(), StandardCharsets.UTF_8));
            msg.setStatus(204);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        if (certificate != null) {
            server.setTlsCertificate(certificate);
            server.listenLocal(0, Set.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        }
    }

    private URI uri(String scheme) {
        return server.getUris().stream().filter(u -> u.getScheme().equals(scheme)).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eventSourceOverHttp11GetsEventsWithIdsAndReconnectsWithLastEventId() throws Exception {
        assertThat(runPage(uri("http").resolve("/page"))).isEqualTo(EXPECTED);
        assertReconnectedWithLastEventId("HTTP/1.1");
    }

    @Test
    void eventSourceOverH2GetsEventsWithIdsAndReconnectsWithLastEventId() throws Exception {
        Assumptions.assumeTrue(certificate != null, "openssl could not make a certificate");
        assertThat(runPage(uri("https").resolve("/page"))).isEqualTo(EXPECTED);
        assertReconnectedWithLastEventId("HTTP/2");
    }

    /** Both connections the page opened had {@code version}; the first had no Last-Event-ID, the second the id of event 2. */
    private void assertReconnectedWithLastEventId(String version) throws InterruptedException {
        assertThat(lastEventIds.poll(5, TimeUnit.SECONDS)).isEqualTo("none");
        assertThat(lastEventIds.poll(5, TimeUnit.SECONDS)).isEqualTo("2");
        assertThat(versions.poll(5, TimeUnit.SECONDS)).isEqualTo(version);
        assertThat(versions.poll(5, TimeUnit.SECONDS)).isEqualTo(version);
    }

    /**
     * Loads {@code page} in a fresh headless Chromium profile and returns what the page posted to /result.
     * The profile lives outside the JUnit temporary directory and is removed on a best-effort basis:
     * Chromium's helper processes may still write into it for a moment after the browser is gone, which
     * made JUnit's own clean-up of a shared directory fail once ("Failed to close extension context").
     */
    private String runPage(URI page) throws Exception {
        Path profile = Files.createTempDirectory("ladle-chromium-profile");
        Path log = dir.resolve(profile.getFileName() + ".log");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--ignore-certificate-errors", "--remote-debugging-port=0",
                page.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the page posted nothing within 60 s; chromium's log:\n" + Files.readString(log));
        } finally {
            stopWithHelpers(browser);
            deleteQuietly(profile);
        }
    }

    /** Ends the browser and every process it started (renderer, GPU and zygote helpers outlive a plain destroy). */
    private static void stopWithHelpers(Process browser) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
        tree.add(browser.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle process : tree) {
            long left = deadline - System.nanoTime();
            try {
                process.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }

    /** Removes {@code directory} and what is in it, ignoring what cannot be removed (it is in the system's temporary directory). */
    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a helper that was still writing leaves a file behind
        }
    }
}
