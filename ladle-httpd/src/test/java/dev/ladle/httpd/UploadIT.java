package dev.ladle.httpd;

import static dev.ladle.httpd.Clients.raw;
import static dev.ladle.httpd.Clients.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PUT and DELETE with {@code --allow-put}: atomic uploads, preconditions, limits, and no half files. */
class UploadIT {
    @TempDir
    static Path root;
    static HttpdProcess httpd;
    static URI base;

    @BeforeAll
    static void startServer() throws Exception {
        httpd = HttpdProcess.serve(root, 1, "--root", root.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--allow-put", "--max-body", "64k", "--access-log");
        base = httpd.uri();
    }

    @AfterAll
    static void stopServer() throws Exception {
        httpd.close();
    }

    private static HttpResponse<String> put(String path, String body, String... headers) throws Exception {
        return Clients.send(HttpRequest.newBuilder(base.resolve(path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    private static HttpResponse<String> delete(String path) throws Exception {
        return Clients.send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** Waits for the access-log line of a request, so the server is known to be done with it. */
    private static void awaitLogged(String requestLinePart) throws InterruptedException {
        while (!httpd.awaitStdoutLine().contains(requestLinePart)) {
            // an earlier request's line
        }
    }

    private static void assertNoTemporaryFiles() throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".ladle-upload-"));
        }
    }

    @Test
    void putCreatesAFileWith201() throws Exception {
        HttpResponse<String> response = put("/created.txt", "new content");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/created.txt");
        assertThat(root.resolve("created.txt")).hasContent("new content");
        assertThat(Files.getPosixFilePermissions(root.resolve("created.txt")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Clients.get(base, "/created.txt").body()).isEqualTo("new content");
        assertNoTemporaryFiles();
    }

    @Test
    void putReplacesAFileWith204AndANewEtag() throws Exception {
        Files.writeString(root.resolve("replaced.txt"), "old");
        String before = Clients.get(base, "/replaced.txt").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> response = put("/replaced.txt", "newer");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(before);
        assertThat(root.resolve("replaced.txt")).hasContent("newer");
    }

    @Test
    void putWithIfNoneMatchStarDoesNotReplace() throws Exception {
        Files.writeString(root.resolve("kept.txt"), "kept");
        assertThat(put("/kept.txt", "lost", "If-None-Match", "*").statusCode()).isEqualTo(412);
        assertThat(root.resolve("kept.txt")).hasContent("kept");
        assertThat(put("/fresh.txt", "fresh", "If-None-Match", "*").statusCode()).isEqualTo(201);
    }

    @Test
    void putWithIfMatchReplacesOnlyTheVersionNamed() throws Exception {
        Files.writeString(root.resolve("versioned.txt"), "v1");
        String etag = Clients.get(base, "/versioned.txt").headers().firstValue("ETag").orElseThrow();
        assertThat(put("/versioned.txt", "v2", "If-Match", etag).statusCode()).isEqualTo(204);
        assertThat(put("/versioned.txt", "v3", "If-Match", etag).statusCode()).isEqualTo(412);
        assertThat(root.resolve("versioned.txt")).hasContent("v2");
    }

    @Test
    void aChunkedPutIsStored() throws Exception {
        byte[] body = new byte[40_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        HttpResponse<String> response = Clients.send(HttpRequest.newBuilder(base.resolve("/chunked.txt"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readAllBytes(root.resolve("chunked.txt"))).isEqualTo(body);
    }

    @Test
    void curlUploadsWithExpectContinue() throws Exception {
        Path local = root.resolve("../curl-source.bin");
        Files.write(local, new byte[50_000]);
        Clients.CurlResult result = Clients.curl("-T", local.toString(), "-H", "Expect: 100-continue",
                "-w", "%{http_code}", "-o", "/dev/null", base.resolve("/curl.bin").toString());
        assertThat(result.stdout()).isEqualTo("201");
        assertThat(Files.size(root.resolve("curl.bin"))).isEqualTo(50_000);
    }

    @Test
    void aDeclaredBodyOverMaxBodyGives413WithoutAFile() throws Exception {
        String response = raw(base, "PUT /too-big.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n"
                + "Expect: 100-continue\r\n\r\n");
        assertThat(status(response)).isEqualTo(413);
        assertThat(root.resolve("too-big.txt")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void aChunkedBodyOverMaxBodyGives413WithoutAFile() throws Exception {
        HttpResponse<String> response = Clients.send(HttpRequest.newBuilder(base.resolve("/too-big-chunked.txt"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[70_000]))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(root.resolve("too-big-chunked.txt")).doesNotExist();
        assertNoTemporaryFiles();
    }

    @Test
    void anUploadCutShortLeavesNoHalfFile() throws Exception {
        Files.writeString(root.resolve("cut.txt"), "original");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = socket.getOutputStream();
            Clients.writeNow(out, "PUT /cut.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a part");
        }
        awaitLogged("PUT /cut.txt");
        assertThat(root.resolve("cut.txt")).hasContent("original");
        assertNoTemporaryFiles();
    }

    @Test
    void putIntoAMissingDirectoryGives409() throws Exception {
        assertThat(put("/no/such/dir.txt", "x").statusCode()).isEqualTo(409);
        assertThat(root.resolve("no")).doesNotExist();
    }

    @Test
    void putOnADirectoryGives409() throws Exception {
        Files.createDirectories(root.resolve("a-dir"));
        assertThat(put("/a-dir", "x").statusCode()).isEqualTo(409);
        assertThat(put("/a-dir/", "x").statusCode()).isEqualTo(409);
        assertThat(root.resolve("a-dir")).isDirectory();
    }

    @Test
    void deleteRemovesAFile() throws Exception {
        Files.writeString(root.resolve("doomed.txt"), "x");
        assertThat(delete("/doomed.txt").statusCode()).isEqualTo(204);
        assertThat(root.resolve("doomed.txt")).doesNotExist();
        assertThat(delete("/doomed.txt").statusCode()).isEqualTo(404);
        assertThat(Clients.get(base, "/doomed.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteRemovesAnEmptyDirectoryButNotAFullOne() throws Exception {
        Files.createDirectories(root.resolve("empty-dir"));
        Files.createDirectories(root.resolve("full-dir"));
        Files.writeString(root.resolve("full-dir/file.txt"), "x");
        assertThat(delete("/empty-dir").statusCode()).isEqualTo(204);
        assertThat(delete("/full-dir").statusCode()).isEqualTo(409);
        assertThat(root.resolve("full-dir/file.txt")).exists();
    }

    @Test
    void optionsListsPutAndDelete() throws Exception {
        String response = raw(base, "OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).contains("Allow: GET, HEAD, OPTIONS, PUT, DELETE\r\n");
    }
}
