package dev.ladle.examples.guide.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.handlers.RawHttp;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files and a report file, compression for text, and a price ticker as Server-Sent Events. */
class SiteServerTest {
    private static final String CSS = "body { margin: 0 }\n".repeat(100); // 1900 bytes: over the 1 KiB minimum

    @TempDir
    Path site;
    @TempDir
    Path reports;

    private SiteServer server;
    private HttpClient client;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>Hi</h1>\n");
        Files.writeString(site.resolve("app.css"), CSS);
        Files.write(site.resolve("logo.png"), new byte[4096]);
        Files.writeString(site.resolve(".env"), "SECRET=1\n");
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<p>docs</p>\n");
        Files.writeString(reports.resolve("latest.csv"), "day,sales\nmon,3\n");
        server = SiteServer.start(site, reports);
        client = HttpClient.newHttpClient();
        base = server.uri();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    // ---- files ---------------------------------------------------------------------------------

    @Test
    void aFileIsServedWithItsTypeValidatorsRangesAndTheCacheControl() throws Exception {
        HttpResponse<byte[]> r = get("/index.html");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("ETag")).isPresent();
        assertThat(r.headers().firstValue("Last-Modified")).isPresent();
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(get("/").body()).as("the index file of /").isEqualTo(r.body());
    }

    @Test
    void aMatchingIfNoneMatchIs304AndARangeIs206() throws Exception {
        String etag = get("/index.html").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/index.html", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> part = get("/index.html", "Range", "bytes=0-3");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(text(part)).isEqualTo("<h1>");
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 0-3/12");
    }

    @Test
    void whatStaticFilesRefuses() throws Exception {
        assertThat(get("/missing.html").statusCode()).isEqualTo(404);
        assertThat(get("/.env").statusCode()).as("hidden files").isEqualTo(404);
        HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(base.resolve("/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        Files.createSymbolicLink(site.resolve("out"), reports);
        assertThat(get("/out/latest.csv").statusCode()).as("a link leading out of the root").isEqualTo(403);
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("GET /docs%5Cindex.html HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).as("a backslash").isEqualTo(403);
        }
    }

    @Test
    void dotSegmentsAreResolvedByTheServerBeforeAnyHandlerAndEncodedOnesRefused() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response up = raw.send("GET /docs/../../index.html HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(up.status()).as("the path is /index.html").isEqualTo(200);
            assertThat(up.text()).isEqualTo("<h1>Hi</h1>\n");
            assertThat(raw.send("GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(400);
        }
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirected() throws Exception {
        HttpResponse<byte[]> r = get("/docs");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/docs/"));
        assertThat(text(get("/docs/"))).isEqualTo("<p>docs</p>\n");
    }

    @Test
    void theReportIsOneFileWithTheTypeTheHandlerGave() throws Exception {
        HttpResponse<byte[]> r = get("/report");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(text(r)).isEqualTo("day,sales\nmon,3\n");
        assertThat(r.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void aMissingReportIs404WithoutAnException() throws Exception {
        Files.delete(reports.resolve("latest.csv"));
        HttpResponse<byte[]> r = get("/report");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    // ---- compression ---------------------------------------------------------------------------

    @Test
    void textOverTheMinimumIsGzippedForAClientThatTakesIt() throws Exception {
        HttpResponse<byte[]> r = get("/app.css", "Accept-Encoding", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).startsWith("W/"));
        assertThat(r.headers().firstValue("Accept-Ranges")).isEmpty();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CSS);
        }
    }

    @Test
    void withoutAcceptEncodingTheSameFileIsSentAsItIsWithVary() throws Exception {
        HttpResponse<byte[]> r = get("/app.css");
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(text(r)).isEqualTo(CSS);
    }

    @Test
    void smallBodiesAndCompressedFormatsAreNotCompressed() throws Exception {
        assertThat(get("/index.html", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding")).as("12 bytes").isEmpty();
        HttpResponse<byte[]> png = get("/logo.png", "Accept-Encoding", "gzip");
        assertThat(png.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(png.body()).hasSize(4096);
    }

    // ---- Server-Sent Events --------------------------------------------------------------------

    @Test
    void publishedPricesReachAnOpenStreamAsEventsUncompressed() throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(base.resolve("/prices")).header("Accept-Encoding", "gzip").build(),
                BodyHandlers.ofInputStream());
        // the head arrives after the handler returned: the stream is registered by now
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        server.publish("ACME", "12.5", 1);
        server.publish("ACME", "12.7", 2);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            List<String> read = new ArrayList<>();
            while (read.size() < 8) {
                String line = lines.readLine();
                if (!line.startsWith(":")) { // a keep-alive comment may come between
                    read.add(line);
                }
            }
            assertThat(read).containsExactly("event: price", "id: 1", "data: ACME 12.5", "",
                    "event: price", "id: 2", "data: ACME 12.7", "");
        }
    }
}
