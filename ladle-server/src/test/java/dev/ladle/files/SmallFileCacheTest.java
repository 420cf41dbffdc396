package dev.ladle.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StaticFiles}' memory cache of small files ({@link SmallFileCache}) on a real server: what it keeps,
 * and that a file changed in any way a stat can show is served as it is now, never as it was.
 */
class SmallFileCacheTest {
    /** A modification time well past {@link SmallFileCache#SETTLED_MILLIS}. */
    private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

    @TempDir
    Path www;
    private Server server;
    private StaticFiles files;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private void serve(StaticFiles handler) throws IOException {
        files = handler;
        server = new Server();
        server.addHandler("/", handler);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
    }

    private SmallFileCache cache() {
        return files.cache();
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getUris().get(0) + path.substring(1)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path settled(String name, String content) throws IOException {
        Path file = Files.writeString(www.resolve(name), content);
        Files.setLastModifiedTime(file, HOUR_AGO);
        return file;
    }

    @Test
    void aSettledSmallFileIsKeptAndServedFromMemoryWithItsValidators() throws Exception {
        settled("a.txt", "first");
        serve(new StaticFiles(www));

        HttpResponse<String> first = get("/a.txt");
        assertThat(first.body()).isEqualTo("first");
        assertThat(cache().size()).isEqualTo(1);
        assertThat(cache().heldBytes()).isEqualTo(5);
        HttpResponse<String> again = get("/a.txt");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("first");
        assertThat(again.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(again.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag")).isPresent();
        assertThat(again.headers().firstValue("Last-Modified")).isPresent();
        assertThat(again.headers().firstValue("Content-Length")).hasValue("5");

        // conditions and ranges work on the cached bytes as on a file
        String etag = again.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/a.txt", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<String> range = get("/a.txt", "Range", "bytes=1-3");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("irs");
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1-3/5");
        // the shared array is untouched by the range's slice
        assertThat(get("/a.txt").body()).isEqualTo("first");
    }

    @Test
    void aFileRewrittenInPlaceIsServedAsItIsNow() throws Exception {
        Path file = settled("a.txt", "first");
        serve(new StaticFiles(www));
        assertThat(get("/a.txt").body()).isEqualTo("first");

        // the same size and inode; only the modification time tells
        Files.writeString(file, "other");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(1800)));
        assertThat(get("/a.txt").body()).isEqualTo("other");
    }

    @Test
    void aFileReplacedByRenameIsServedAsItIsNow() throws Exception {
        settled("a.txt", "first");
        serve(new StaticFiles(www));
        assertThat(get("/a.txt").body()).isEqualTo("first");

        // the same size and modification time: only the inode tells
        Path staged = settled("a.txt.new", "newer");
        Files.move(staged, www.resolve("a.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(get("/a.txt").body()).isEqualTo("newer");
    }

    @Test
    void aFileModifiedJustNowIsNotKeptSoASecondWriteInTheSameTickIsSeen() throws Exception {
        Path file = Files.writeString(www.resolve("a.txt"), "first");
        FileTime justNow = Files.getLastModifiedTime(file);
        serve(new StaticFiles(www));
        assertThat(get("/a.txt").body()).isEqualTo("first");
        assertThat(cache().size()).isZero();

        // a write within the clock's tick keeps the time: had "first" been kept, it would be served still
        Files.writeString(file, "again");
        Files.setLastModifiedTime(file, justNow);
        assertThat(get("/a.txt").body()).isEqualTo("again");
    }

    @Test
    void aFileLargerThanTheLimitIsSentFromTheFile() throws Exception {
        settled("small.txt", "x".repeat(100));
        settled("large.txt", "y".repeat(101));
        serve(new StaticFiles(www).setMemoryCache(1 << 20, 100));

        assertThat(get("/large.txt").body()).hasSize(101);
        assertThat(get("/small.txt").body()).hasSize(100);
        assertThat(cache().size()).isEqualTo(1);
        assertThat(cache().heldBytes()).isEqualTo(100);
    }

    @Test
    void aFullCacheIsEmptiedAndRefills() throws Exception {
        settled("a.txt", "a".repeat(60));
        settled("b.txt", "b".repeat(60));
        serve(new StaticFiles(www).setMemoryCache(100, 100));

        assertThat(get("/a.txt").body()).isEqualTo("a".repeat(60));
        assertThat(cache().heldBytes()).isEqualTo(60);
        assertThat(get("/b.txt").body()).isEqualTo("b".repeat(60));
        assertThat(cache().size()).isZero();
        assertThat(cache().heldBytes()).isZero();
        assertThat(get("/b.txt").body()).isEqualTo("b".repeat(60));
        assertThat(cache().heldBytes()).isEqualTo(60);
    }

    @Test
    void turnedOffNothingIsKept() throws Exception {
        settled("a.txt", "first");
        serve(new StaticFiles(www).setMemoryCache(0, 0));
        assertThat(get("/a.txt").body()).isEqualTo("first");
        assertThat(cache().size()).isZero();
    }

    @Test
    void headAndTheGzipSiblingAreServedAsWithoutTheCache() throws Exception {
        settled("a.txt", "plain text");
        settled("a.txt.gz", "not really gzip");
        serve(new StaticFiles(www).setPrecompressed(true));

        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.getUris().get(0).resolve("/a.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
        assertThat(cache().size()).isZero();
        HttpResponse<String> gzip = get("/a.txt", "Accept-Encoding", "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzip.body()).isEqualTo("not really gzip");
        assertThat(get("/a.txt").body()).isEqualTo("plain text");
        assertThat(get("/a.txt").headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(cache().size()).isEqualTo(2);
    }

    @Test
    void aCachedFileReplacedByALinkIsServedThroughTheLinkAndOneRemovedIsMissing() throws Exception {
        settled("a.txt", "first");
        settled("b.txt", "other");
        serve(new StaticFiles(www));
        assertThat(get("/a.txt").body()).isEqualTo("first");
        assertThat(get("/b.txt").body()).isEqualTo("other");

        Files.delete(www.resolve("a.txt"));
        Files.createSymbolicLink(www.resolve("a.txt"), Path.of("b.txt"));
        // the library refuses links out of the root only; this one stays inside and is followed afresh
        assertThat(get("/a.txt").body()).isEqualTo("other");
        Files.delete(www.resolve("b.txt"));
        assertThat(get("/b.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThatThrownBy(() -> new StaticFiles(www).setMemoryCache(-1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
