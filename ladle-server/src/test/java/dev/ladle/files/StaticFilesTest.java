package dev.ladle.files;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.BothProtocols;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Response;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StaticFiles} on a real server: traversal attempts in every spelling (raw sockets and curl's
 * {@code --path-as-is}), symbolic links out of the root, hidden files, index files, listings, redirects,
 * methods and cache headers, over HTTP/1.1 and h2c.
 *
 * <p>The tree: {@code top/secret.txt} outside the root {@code top/www}, which holds {@code hello.txt},
 * {@code .env}, {@code .git/config}, {@code sub/index.html}, {@code plain/} (no index: {@code a.txt},
 * {@code .hidden}), {@code alt/default.htm}, and links {@code link-in} (to hello.txt), {@code link-out}
 * (to the secret) and {@code dir-out} (to {@code top}).
 */
class StaticFilesTest {
    private static final String SECRET = "top secret";

    @TempDir
    static Path top;
    static Server server;
    static URI base;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(top.resolve("secret.txt"), SECRET);
        Path www = Files.createDirectories(top.resolve("www"));
        Files.writeString(www.resolve("hello.txt"), "hello\n");
        Files.writeString(www.resolve(".env"), "PASSWORD=x");
        Files.createDirectories(www.resolve(".git"));
        Files.writeString(www.resolve(".git/config"), "[core]");
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(www.resolve("sub/index.html"), "<h1>sub</h1>");
        Files.createDirectories(www.resolve("plain"));
        Files.writeString(www.resolve("plain/a.txt"), "a");
        Files.writeString(www.resolve("plain/.hidden"), "hidden");
        Files.createDirectories(www.resolve("alt"));
        Files.writeString(www.resolve("alt/default.htm"), "<p>alt</p>");
        Files.createSymbolicLink(www.resolve("link-in"), Path.of("hello.txt"));
        Files.createSymbolicLink(www.resolve("link-out"), top.resolve("secret.txt"));
        Files.createSymbolicLink(www.resolve("dir-out"), top);

        server = new Server();
        server.addHandler("/static", new StaticFiles(www));
        server.addHandler("/listed", new StaticFiles(www).setDirectoryListing(true)
                .setIndexFiles("default.htm").setCacheControl("max-age=60"));
        server.addHandler("/dotted", new StaticFiles(www).setHiddenFiles(true));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code request} as it is on a new connection and returns everything the server answered. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), ISO_8859_1);
        }
    }

    private static String rawGet(String target) throws IOException {
        return raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    private static Response get(Protocol protocol, String target, String... headers) throws IOException {
        try (ProtocolClient client = protocol.connect(base)) {
            return client.get(target, headers);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt",
        "/static/..%2fsecret.txt", "/static/%2e%2e%2fsecret.txt", "/static/..%5csecret.txt", "/static/..\\secret.txt",
        "/static/sub/../../secret.txt", "/static/./../secret.txt", "/static/.%2e/secret.txt",
        "/static/%252e%252e/secret.txt", "/static/hello.txt%00.png", "/static/%00/../secret.txt",
        "/static/dir-out/secret.txt", "/static/link-out", "/static/dir-out/www/../secret.txt"})
    void aTraversalAttemptNeverReachesTheSecret(String target) throws Exception {
        String response = rawGet(target);
        assertThat(status(response)).as(response).isIn(400, 403, 404);
        assertThat(response).doesNotContain(SECRET);
    }

    @Test
    void aBackslashIsRefusedWith403() throws Exception {
        // the core passes a decoded backslash on; a name starting with "..", hidden elsewhere, is not here
        assertThat(status(rawGet("/static/sub%5cindex.html"))).isEqualTo(403);
        assertThat(status(rawGet("/dotted/..%5csecret.txt"))).isEqualTo(403);
    }

    @Test
    void aSymbolicLinkLeadingOutOfTheRootGives403() throws Exception {
        assertThat(status(rawGet("/static/link-out"))).isEqualTo(403);
        assertThat(status(rawGet("/static/dir-out/secret.txt"))).isEqualTo(403);
    }

    @Test
    void aSymbolicLinkStayingInsideIsFollowed() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/static/link-in").bodyText()).isEqualTo("hello\n");
    }

    @Test
    void curlWithPathAsIsCannotTraverse() throws Exception {
        for (String target : new String[] {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/link-out"}) {
            Process p = new ProcessBuilder("curl", "-sS", "--path-as-is", "-w", "\n%{http_code}", base + target.substring(1))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as(target).doesNotContain(SECRET);
            assertThat(out.substring(out.lastIndexOf('\n') + 1)).as(target).isIn("400", "403", "404");
        }
    }

    @BothProtocols
    void hiddenFilesAreRefusedWith404ByDefault(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/static/.env").status()).isEqualTo(404);
        assertThat(get(protocol, "/static/.git/config").status()).isEqualTo(404);
        assertThat(get(protocol, "/static/plain/.hidden").status()).isEqualTo(404);
        assertThat(get(protocol, "/static/%2eenv").status()).isEqualTo(404);
    }

    @Test
    void aHiddenFileIsRefusedExactlyAsAMissingOne() throws Exception {
        // the answer must not tell that .env exists: the same head fields and body as for a name never there
        String hidden = rawGet("/static/.env");
        String missing = rawGet("/static/nothing-here");
        String missingHidden = rawGet("/dotted/.nothing-here");
        assertThat(withoutDate(hidden)).startsWith("HTTP/1.1 404 ").isEqualTo(withoutDate(missing))
                .isEqualTo(withoutDate(missingHidden));
    }

    private static String withoutDate(String response) {
        return response.replaceAll("(?m)^Date: .*\r\n", "");
    }

    @Test
    void hiddenFilesAreServedWhenAskedFor() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/dotted/.env").bodyText()).isEqualTo("PASSWORD=x");
        assertThat(get(Protocol.HTTP_1_1, "/dotted/.git/config").bodyText()).isEqualTo("[core]");
    }

    @BothProtocols
    void aDirectoryIsAnsweredWithItsIndexFile(Protocol protocol) throws Exception {
        Response r = get(protocol, "/static/sub/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("<h1>sub</h1>");
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("etag")).isNotNull();
    }

    @Test
    void theIndexFileNamesCanBeChanged() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/listed/alt/").bodyText()).isEqualTo("<p>alt</p>");
        assertThat(get(Protocol.HTTP_1_1, "/static/alt/").status()).isEqualTo(403);
    }

    @Test
    void aDirectoryWithoutIndexIsRefusedWithoutListing() throws Exception {
        Response r = get(Protocol.HTTP_1_1, "/static/plain/");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).doesNotContain("a.txt");
    }

    @Test
    void aListingLeavesHiddenNamesOut() throws Exception {
        Response r = get(Protocol.HTTP_1_1, "/listed/plain/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.bodyText()).contains("href=\"./a.txt\"").contains("Index of /listed/plain/").doesNotContain(".hidden");
        assertThat(get(Protocol.HTTP_1_1, "/listed/").bodyText()).doesNotContain(".env").doesNotContain(".git")
                .doesNotContain("href=\"../\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/sub", "/static"})
    void aDirectoryWithoutItsSlashIsRedirectedToIt(String target) throws Exception {
        String response = rawGet(target + "?x=1");
        assertThat(status(response)).isEqualTo(301);
        assertThat(response).contains("Location: http://x" + target + "/?x=1\r\n");
    }

    @Test
    void otherMethodsGet405WithAllow() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
            String response = raw(method + " /static/hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(status(response)).as(method).isEqualTo(405);
            assertThat(response).contains("Allow: GET, HEAD\r\n");
        }
        assertThat(Files.exists(top.resolve("www/hello.txt"))).isTrue();
    }

    @Test
    void headGivesTheHeadersWithoutTheBody() throws Exception {
        String response = raw("HEAD /static/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("Content-Length: 6\r\n").contains("ETag: \"").endsWith("\r\n\r\n");
    }

    @BothProtocols
    void rangesAndIfRangeWork(Protocol protocol) throws Exception {
        String etag = get(protocol, "/static/hello.txt").header("etag");
        Response several = get(protocol, "/static/hello.txt", "Range: bytes=0-0,4-4");
        assertThat(several.status()).isEqualTo(206);
        assertThat(several.header("content-type")).startsWith("multipart/byteranges; boundary=");
        assertThat(several.bodyText()).contains("Content-Range: bytes 0-0/6\r\n\r\nh\r\n").contains("Content-Range: bytes 4-4/6\r\n\r\no\r\n");
        Response stale = get(protocol, "/static/hello.txt", "Range: bytes=0-0", "If-Range: \"stale\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("hello\n");
        assertThat(get(protocol, "/static/hello.txt", "Range: bytes=0-0", "If-Range: " + etag).bodyText()).isEqualTo("h");
    }

    @BothProtocols
    void ifNoneMatchGives304(Protocol protocol) throws Exception {
        String etag = get(protocol, "/static/hello.txt").header("etag");
        Response r = get(protocol, "/static/hello.txt", "If-None-Match: " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void cacheControlIsSentWithFilesWhenSet() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/listed/hello.txt").header("cache-control")).isEqualTo("max-age=60");
        String etag = get(Protocol.HTTP_1_1, "/listed/hello.txt").header("etag");
        assertThat(get(Protocol.HTTP_1_1, "/listed/hello.txt", "If-None-Match: " + etag).header("cache-control"))
                .isEqualTo("max-age=60");
        assertThat(get(Protocol.HTTP_1_1, "/static/hello.txt").header("cache-control")).isNull();
        assertThat(get(Protocol.HTTP_1_1, "/listed/nope.txt").header("cache-control")).isNull();
    }

    @Test
    void oneInstanceAddedAtTwoPathsMapsEachRequestBelowThePathItCameIn() throws Exception {
        StaticFiles files = new StaticFiles(top.resolve("www"));
        try (Server two = new Server()) {
            two.addHandler("/a", files);
            two.addHandler("/b/c", files);
            two.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"/a/hello.txt", "/b/c/hello.txt"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(two.getUris().get(0).resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).isEqualTo(Files.readString(top.resolve("www/hello.txt")));
            }
            HttpResponse<String> notBelow = client.send(
                    HttpRequest.newBuilder(two.getUris().get(0).resolve("/b/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notBelow.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aDirectorySwappedForALinkOutAfterItWasServedIsRefused() throws Exception {
        Path www = top.resolve("www");
        Files.createDirectories(www.resolve("swapped"));
        Files.writeString(www.resolve("swapped/secret.txt"), "not yet");
        assertThat(get(Protocol.HTTP_1_1, "/static/swapped/secret.txt").bodyText()).isEqualTo("not yet");
        Files.move(www.resolve("swapped"), top.resolve("swapped-away"));
        Files.createSymbolicLink(www.resolve("swapped"), top);
        try {
            String response = rawGet("/static/swapped/secret.txt");
            assertThat(status(response)).isEqualTo(403);
            assertThat(response).doesNotContain(SECRET);
        } finally {
            Files.delete(www.resolve("swapped"));
        }
    }

    @Test
    void aFileSwappedForALinkOutAfterItWasServedIsRefused() throws Exception {
        Path www = top.resolve("www");
        Files.createDirectories(www.resolve("swap-file"));
        Path file = Files.writeString(www.resolve("swap-file/a.txt"), "a");
        assertThat(get(Protocol.HTTP_1_1, "/static/swap-file/a.txt").bodyText()).isEqualTo("a");
        Files.delete(file);
        Files.createSymbolicLink(file, top.resolve("secret.txt"));
        String response = rawGet("/static/swap-file/a.txt");
        assertThat(status(response)).isEqualTo(403);
        assertThat(response).doesNotContain(SECRET);
    }

    @Test
    void aMissingFileGives404() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/static/nope.txt").status()).isEqualTo(404);
        assertThat(get(Protocol.HTTP_1_1, "/static/nope/deeper.txt").status()).isEqualTo(404);
    }

    @Test
    void theJdkClientGetsAFile() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/static/sub/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("<h1>sub</h1>");
    }

    @Test
    void aRootThatIsNotADirectoryIsRefused() {
        assertThatThrownBy(() -> new StaticFiles(top.resolve("secret.txt"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StaticFiles(top.resolve("missing"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexFileNamesMustBePlainNames() {
        StaticFiles files = new StaticFiles(top);
        for (String bad : new String[] {"", ".", "..", "a/b", "a\\b", "a\0b"}) {
            assertThatThrownBy(() -> files.setIndexFiles(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hiddenNamesAreThoseStartingWithADot() {
        assertThat(StaticFiles.hasHiddenName("/a/.git/config")).isTrue();
        assertThat(StaticFiles.hasHiddenName("/.env")).isTrue();
        assertThat(StaticFiles.hasHiddenName("/a/b.txt")).isFalse();
        assertThat(StaticFiles.hasHiddenName("/./a")).isFalse();
        assertThat(StaticFiles.hasHiddenName("//a/../b")).isFalse();
        assertThat(StaticFiles.hasHiddenName("/...")).isTrue();
    }
}
