package dev.ladle.httpd;

import static dev.ladle.httpd.Clients.curl;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ladle-httpd's compression, against the jar: a file's {@code .gz} sibling served to gzip clients (as
 * nginx's {@code gzip_static}), and with {@code --compress} text compressed on the fly; checked with the
 * JDK HttpClient (which does not decompress: the bytes are read with {@code GZIPInputStream}) and curl
 * {@code --compressed} over HTTP/1.1 and h2c.
 */
class CompressionIT {
    private static final String CSS = "body { margin: 0; padding: 0; }\n".repeat(150);
    private static final String FROM_GZ = "/* the .gz sibling */\n" + CSS;
    private static final String JS = "console.log('ladle compresses this line');\n".repeat(100);

    @TempDir
    static Path root;
    static byte[] gz;
    static HttpdProcess httpd;
    static URI base;

    @BeforeAll
    static void startServer() throws Exception {
        Files.writeString(root.resolve("style.css"), CSS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(FROM_GZ.getBytes(StandardCharsets.UTF_8));
        }
        gz = bytes.toByteArray();
        Files.write(root.resolve("style.css.gz"), gz);
        Files.writeString(root.resolve("app.js"), JS);
        Files.writeString(root.resolve("logo.png"), JS);
        Files.writeString(root.resolve("small.txt"), "tiny\n");
        httpd = HttpdProcess.serveLocal(root, "--root", root.toString(), "--compress");
        base = httpd.uri();
    }

    @AfterAll
    static void stopServer() throws Exception {
        httpd.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(HttpdProcess.WAIT);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return Clients.HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aGzipClientGetsTheGzSiblingWithTheOriginalsType() throws Exception {
        HttpResponse<byte[]> r = get("/style.css", "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.body()).isEqualTo(gz);
        assertThat(gunzip(r.body())).isEqualTo(FROM_GZ);
    }

    @Test
    void aRangeWithGzipIsOfTheSiblingsBytes() throws Exception {
        HttpResponse<byte[]> r = get("/style.css", "Accept-Encoding", "gzip", "Range", "bytes=2-5");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 2-5/" + gz.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(gz, 2, 6));
    }

    @Test
    void aClientWithoutGzipGetsTheOriginal() throws Exception {
        HttpResponse<byte[]> r = get("/style.css");
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(CSS);
    }

    @Test
    void withCompressTextIsCompressedOnTheFlyWithAWeakEtag() throws Exception {
        HttpResponse<byte[]> plain = get("/app.js");
        HttpResponse<byte[]> r = get("/app.js", "Accept-Encoding", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("ETag")).hasValue("W/" + plain.headers().firstValue("ETag").orElseThrow());
        assertThat(r.body().length).isLessThan(JS.length() / 10);
        assertThat(gunzip(r.body())).isEqualTo(JS);
    }

    @Test
    void imagesAndSmallFilesAreSentAsTheyAre() throws Exception {
        HttpResponse<byte[]> png = get("/logo.png", "Accept-Encoding", "gzip");
        assertThat(png.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(png.body()).hasSize(JS.length());
        HttpResponse<byte[]> small = get("/small.txt", "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("tiny\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2-prior-knowledge"})
    void curlCompressedGetsBothKinds(String protocol) throws Exception {
        Clients.CurlResult js = curl(protocol, "--compressed", "-D", "-", base.resolve("/app.js").toString());
        assertThat(js.exitCode()).as(js.stderr()).isZero();
        assertThat(js.stdout().toLowerCase(java.util.Locale.ROOT)).contains("content-encoding: gzip");
        assertThat(js.stdout()).endsWith(JS);
        Clients.CurlResult css = curl(protocol, "--compressed", base.resolve("/style.css").toString());
        assertThat(css.stdout()).isEqualTo(FROM_GZ);
    }
}
