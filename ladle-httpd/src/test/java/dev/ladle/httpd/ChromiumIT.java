package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser: Debian's headless Chromium opens a page over ladle-httpd's https listener and the
 * page's script writes the protocol the navigation used ({@code nextHopProtocol}) into the DOM, which
 * {@code --dump-dom} prints once the page has loaded. Skipped where no {@code chromium} is on the PATH
 * (CI installs it).
 */
class ChromiumIT {
    /** The page: its inline script runs before the load event, so the dumped DOM has the answer. */
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>protocol</title></head><body>
            <p id="protocol">unknown</p>
            <script>
            document.getElementById('protocol').textContent =
                performance.getEntriesByType('navigation')[0].nextHopProtocol;
            </script>
            </body></html>
            """;

    @TempDir
    static Path dir;
    static Path chromium;
    static Certificates certs;
    static Path root;

    @BeforeAll
    static void findChromium() throws Exception {
        chromium = onPath("chromium", "chromium-browser");
        Assumptions.assumeTrue(chromium != null, "chromium is not installed");
        certs = Certificates.create(Files.createDirectories(dir.resolve("certs")));
        root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("protocol.html"), PAGE);
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

    private static HttpdProcess serve(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--root", root.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--https-port", "0", "--tls-cert", certs.serverCert.toString(),
                "--tls-key", certs.serverKey.toString(), "--access-log"));
        args.addAll(List.of(extra));
        return HttpdProcess.serve(dir, 2, args.toArray(String[]::new));
    }

    /** Loads {@code uri} in a fresh headless Chromium profile and returns the DOM it dumps. */
    private static String dumpDom(URI uri) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path log = dir.resolve(profile.getFileName() + ".log");
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--ignore-certificate-errors",
                "--virtual-time-budget=5000", "--dump-dom", uri.toString())
                .redirectError(log.toFile())
                .start();
        process.getOutputStream().close();
        byte[] dom = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish; its log:\n" + Files.readString(log));
        }
        return new String(dom, StandardCharsets.UTF_8);
    }

    /** Waits for the access-log line of {@code path}. */
    private static String logLineOf(HttpdProcess httpd, String path) throws InterruptedException {
        String line;
        do {
            line = httpd.awaitStdoutLine();
        } while (!line.contains(" " + path + " "));
        return line;
    }

    @Test
    void chromiumLoadsAnHttpsPageOverH2() throws Exception {
        try (HttpdProcess httpd = serve()) {
            URI page = httpd.awaitUris(2).get(1).resolve("/protocol.html");
            String dom = dumpDom(page);
            assertThat(dom).contains("<p id=\"protocol\">h2</p>");
            assertThat(logLineOf(httpd, "/protocol.html")).contains("\"GET /protocol.html HTTP/2\" 200");
        }
    }

    @Test
    void chromiumFallsBackToHttp11WithNoHttp2() throws Exception {
        try (HttpdProcess httpd = serve("--no-http2")) {
            URI page = httpd.awaitUris(2).get(1).resolve("/protocol.html");
            String dom = dumpDom(page);
            assertThat(dom).contains("<p id=\"protocol\">http/1.1</p>");
            assertThat(logLineOf(httpd, "/protocol.html")).contains("\"GET /protocol.html HTTP/1.1\" 200");
        }
    }
}
