package dev.ladle.examples.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files example, driven by the JDK HttpClient. The module's tests run with {@code -Xmx64m}, which the
 * service and this client share, so the 100 MiB upload and download pass only when both stream.
 */
class FileServiceTest {
    private static final long HUNDRED_MIB = 100L << 20;
    private static final String BOUNDARY = "ladle-example-boundary";

    @TempDir
    Path storage;
    @TempDir
    Path site;
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>files</h1>");
        server = FileService.start(0, storage, site);
        base = URI.create("http://127.0.0.1:" + server.getPort());
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void aHundredMebibyteUploadIsStoredAndDownloadedWholeThroughA64MebibyteHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(64L << 20);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> upload = upload("big.bin", new DigestInputStream(new PatternStream(HUNDRED_MIB), sent));
        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(upload.headers().firstValue("Location")).hasValue(base + "/files/big.bin");
        assertThat(Files.size(storage.resolve("big.bin"))).isEqualTo(HUNDRED_MIB);

        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(base.resolve("/files/big.bin")).build(),
                BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(download.body(), received)) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(HUNDRED_MIB);
        }
        assertThat(received.digest()).isEqualTo(sent.digest());
        try (var files = Files.list(storage)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("big.bin");
        }
    }

    @Test
    void aRangeOfAStoredFileIsServedAsPartialContent() throws Exception {
        upload("notes.txt", new ByteArrayInputStream("0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> range = client.send(HttpRequest.newBuilder(base.resolve("/files/notes.txt"))
                .header("Range", "bytes=10-14").build(), BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-14/20");
        assertThat(range.body()).isEqualTo("abcde");
    }

    @Test
    void anUploadWithoutAPlainFileNameIs400AndStoresNothing() throws Exception {
        for (String name : new String[] {"../escape.txt", ".hidden", "a/b.txt"}) {
            HttpResponse<String> refused = upload(name, new ByteArrayInputStream(new byte[10]));
            assertThat(refused.statusCode()).as(name).isEqualTo(400);
            assertThat(refused.body()).as(name).contains("plain file name");
        }
        try (var files = Files.list(storage)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void theSiteIsServedWithItsIndexAndNothingOutsideTheStorageIsReachable() throws Exception {
        HttpResponse<String> index = client.send(HttpRequest.newBuilder(base.resolve("/")).build(), BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo("<h1>files</h1>");
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(base.resolve("/files/nope.bin")).build(),
                BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> traversal = client.send(HttpRequest.newBuilder(URI.create(base + "/files/%2e%2e/index.html"))
                .build(), BodyHandlers.ofString());
        assertThat(traversal.statusCode()).isIn(400, 403, 404);
    }

    private HttpResponse<String> upload(String fileName, InputStream content) throws IOException, InterruptedException {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        List<InputStream> parts = List.of(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), content,
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(parts))))
                .build();
        return client.send(request, BodyHandlers.ofString());
    }

    /** {@code size} bytes of a repeating pattern, made as they are read. */
    private static final class PatternStream extends InputStream {
        private long left;

        PatternStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? (int) (left * 31 % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                left--;
                b[off + i] = (byte) (left * 31 % 251);
            }
            return n;
        }
    }
}
