package dev.ladle.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.BothProtocols;
import dev.ladle.server.Compression;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import dev.ladle.server.Server;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StaticFiles#setPrecompressed}: {@code app.css.gz} served for {@code app.css} to clients that
 * take gzip, as nginx's {@code gzip_static}; on a server that also compresses on the fly
 * ({@link Server#setCompression}), over HTTP/1.1 and h2c. The {@code .gz} holds other text than the
 * original, so a test can tell which file answered.
 */
class PrecompressedFilesTest {
    private static final String ORIGINAL = "body { color: black; }\n".repeat(200);
    private static final String FROM_GZ = "/* from the .gz */\n" + ORIGINAL;

    @TempDir
    static Path www;
    static byte[] gz;
    static Server server;
    static URI base;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(www.resolve("app.css"), ORIGINAL);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(FROM_GZ.getBytes(StandardCharsets.UTF_8));
        }
        gz = bytes.toByteArray();
        Files.write(www.resolve("app.css.gz"), gz);
        Files.writeString(www.resolve("alone.css"), ORIGINAL);
        server = new Server();
        server.setCompression(Compression.DEFAULT);
        server.addHandler("/pre", new StaticFiles(www).setPrecompressed(true));
        server.addHandler("/fly", new StaticFiles(www));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(Protocol protocol, String path, String... headers) throws IOException {
        try (ProtocolClient c = protocol.connect(base)) {
            return c.get(path, headers);
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @BothProtocols
    void aGzipClientGetsTheSiblingWithTheOriginalsType(Protocol protocol) throws IOException {
        Response r = get(protocol, "/pre/app.css", "Accept-Encoding: gzip, deflate");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(gz.length));
        assertThat(r.body()).isEqualTo(gz);
        assertThat(gunzip(r.body())).isEqualTo(FROM_GZ);
        // the .gz file's own validators: strong (its bytes are what is sent), and not the original's
        Response plain = get(protocol, "/pre/app.css");
        assertThat(r.header("ETag")).startsWith("\"").isNotEqualTo(plain.header("ETag"));
    }

    @BothProtocols
    void aClientWithoutGzipGetsTheOriginalAndTheAnswerVaries(Protocol protocol) throws IOException {
        for (String[] headers : new String[][] {{}, {"Accept-Encoding: gzip;q=0, deflate"}}) {
            Response r = get(protocol, "/pre/app.css", headers);
            assertThat(r.header("Content-Encoding")).as(Arrays.toString(headers))
                    .isEqualTo(headers.length == 0 ? null : "deflate");
            assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        }
        assertThat(get(protocol, "/pre/app.css").bodyText()).isEqualTo(ORIGINAL);
    }

    @BothProtocols
    void aRangeIsOfTheGzBytes(Protocol protocol) throws IOException {
        Response r = get(protocol, "/pre/app.css", "Accept-Encoding: gzip", "Range: bytes=0-9");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-9/" + gz.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOf(gz, 10));
    }

    @BothProtocols
    void headGetsTheSiblingsLengthAndCoding(Protocol protocol) throws IOException {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("HEAD", "/pre/app.css").header("Accept-Encoding", "gzip")).read();
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(gz.length));
            assertThat(r.body()).isEmpty();
        }
    }

    @BothProtocols
    void theSiblingsEtagRevalidatesTo304WithVary(Protocol protocol) throws IOException {
        String etag = get(protocol, "/pre/app.css", "Accept-Encoding: gzip").header("ETag");
        Response r = get(protocol, "/pre/app.css", "Accept-Encoding: gzip", "If-None-Match: " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        assertThat(r.header("Content-Encoding")).isNull();
    }

    @BothProtocols
    void withoutASiblingOrWithPrecompressedOffTheFileIsCompressedOnTheFly(Protocol protocol) throws IOException {
        for (String path : new String[] {"/pre/alone.css", "/fly/app.css"}) {
            Response r = get(protocol, path, "Accept-Encoding: gzip");
            assertThat(r.header("Content-Encoding")).as(path).isEqualTo("gzip");
            assertThat(r.header("ETag")).as(path).startsWith("W/\"");
            assertThat(gunzip(r.body())).as(path).isEqualTo(ORIGINAL);
        }
    }

    @BothProtocols
    void theGzFileItselfIsServedAsIs(Protocol protocol) throws IOException {
        Response r = get(protocol, "/pre/app.css.gz", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Type")).isEqualTo("application/gzip");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.body()).isEqualTo(gz);
    }
}
