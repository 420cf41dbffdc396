package dev.ladle.server;

import static dev.ladle.server.Compressed.gunzip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Response compression with real clients: the JDK HttpClient (which does not decompress, so the bytes
 * are checked with {@code GZIPInputStream}), OkHttp (which asks for gzip and decompresses by itself,
 * also while a stream is still coming) and curl {@code --compressed}, over HTTP/1.1 and h2c.
 */
class CompressionClientsTest {
    private static final String TEXT = "{\"name\": \"ladle\", \"values\": [1, 2, 3, 4, 5, 6, 7, 8]}\n".repeat(200);

    private Server server;
    private URI base;
    private final CountDownLatch clientSawFirst = new CountDownLatch(1);
    private final AtomicBoolean handlerWaitedForClient = new AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setCompression(Compression.DEFAULT);
        server.addHandler("/json", (s, m, p, q) -> {
            m.setResponse("application/json", TEXT.getBytes(StandardCharsets.UTF_8));
            m.setStatus(200);
        });
        server.addHandler("/events", (s, m, p, q) -> {
            m.setStatus(200);
            m.getResponseHeaders().replace("Content-Type", "text/event-stream");
            try (OutputStream out = m.getResponseBodyStream()) {
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                handlerWaitedForClient.set(clientSawFirst.await(10, TimeUnit.SECONDS));
                out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static OkHttpClient okHttp(Protocol protocol) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20));
        if (protocol == Protocol.HTTP_2) {
            builder.protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE));
        }
        return builder.build();
    }

    @Test
    void jdkHttpClientGetsGzipBytesThatDecompressToTheBody() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/json"))
                .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.body().length).isLessThan(TEXT.length() / 10);
        assertThat(gunzip(r.body())).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void okHttpDecompressesTransparently(Protocol protocol) throws Exception {
        OkHttpClient client = okHttp(protocol);
        try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(base.resolve("/json").toString())
                .build()).execute()) {
            assertThat(r.body().string()).isEqualTo(TEXT);
            // OkHttp asked for gzip itself, and took the coding off the response it hands out
            assertThat(r.networkResponse().header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.networkResponse().request().header("Accept-Encoding")).isEqualTo("gzip");
        } finally {
            client.connectionPool().evictAll();
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void okHttpReadsTheFirstEventOfACompressedStreamBeforeTheSecondIsWritten(Protocol protocol) throws Exception {
        OkHttpClient client = okHttp(protocol);
        try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(base.resolve("/events").toString())
                .build()).execute()) {
            assertThat(r.networkResponse().header("Content-Encoding")).isEqualTo("gzip");
            BufferedSource source = r.body().source();
            assertThat(source.readUtf8LineStrict()).isEqualTo("data: first");
            assertThat(source.readUtf8LineStrict()).isEmpty();
            clientSawFirst.countDown();
            assertThat(source.readUtf8()).isEqualTo("data: second\n\n");
        } finally {
            client.connectionPool().evictAll();
        }
        assertThat(handlerWaitedForClient).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void curlCompressedGetsTheBodyBack(Protocol protocol) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", protocol.curlFlag(), "--compressed",
                "-D", "-", base.resolve("/json").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.toLowerCase(java.util.Locale.ROOT)).contains("content-encoding: gzip");
        assertThat(out).endsWith(TEXT);
    }
}
