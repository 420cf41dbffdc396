package dev.ladle.httpd;

import static dev.ladle.httpd.Clients.get;
import static dev.ladle.httpd.Clients.raw;
import static dev.ladle.httpd.Clients.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.HttpDates;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET and HEAD of files and directories, validators, conditional requests and ranges, against the jar. */
class FileServingIT {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String LONG = "a line of text that would compress well\n".repeat(100);
    /** Larger than the server's whole heap (-Xmx48m), so only streaming can serve it. */
    private static final long BIG = 80L << 20;

    @TempDir
    static Path root;
    static HttpdProcess httpd;
    static URI base;

    @BeforeAll
    static void startServer() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.writeString(root.resolve("digits.txt"), DIGITS);
        Files.writeString(root.resolve("page.html"), "<p>hi</p>");
        Files.write(root.resolve("blob.xyz"), new byte[] {1, 2, 3});
        Files.write(root.resolve("empty.txt"), new byte[0]);
        // a text file big enough to compress, and one with a .gz sibling (whose text differs, to tell them apart)
        Files.writeString(root.resolve("long.txt"), LONG);
        Files.writeString(root.resolve("sibling.txt"), LONG);
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(root.resolve("sibling.txt.gz")))) {
            out.write(("from the .gz\n" + LONG).getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(root.resolve("site"));
        Files.writeString(root.resolve("site/index.html"), "<h1>site</h1>");
        Path listed = Files.createDirectories(root.resolve("listed"));
        for (String name : new String[] {"<img src=x onerror=alert(1)>.txt", "a\"b&c'd.txt", "100%.txt", "q?x#y.txt",
                "spaced name.txt", "été.txt"}) {
            Files.writeString(listed.resolve(name), name);
        }
        Files.createDirectories(listed.resolve("inner"));
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(BIG);
            big.seek(BIG - 4);
            big.write(new byte[] {'t', 'a', 'i', 'l'});
        }
        httpd = HttpdProcess.serve(root, 1, "--root", root.toString(), "--bind", "127.0.0.1", "--port", "0");
        base = httpd.uri();
    }

    @AfterAll
    static void stopServer() throws Exception {
        httpd.close();
    }

    @Test
    void getServesTheFileWithAContentTypeFromItsName() throws Exception {
        HttpResponse<String> text = get(base, "/hello.txt");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEqualTo("hello\n");
        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(get(base, "/page.html").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(get(base, "/blob.xyz").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void withoutCompressTextIsSentAsItIsButAGzSiblingIsServed() throws Exception {
        HttpResponse<String> text = get(base, "/long.txt", "Accept-Encoding", "gzip");
        assertThat(text.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(text.body()).isEqualTo(LONG);
        HttpResponse<byte[]> sibling = Clients.HTTP.send(HttpRequest.newBuilder(base.resolve("/sibling.txt"))
                .header("Accept-Encoding", "gzip").timeout(HttpdProcess.WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sibling.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(sibling.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(sibling.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the .gz\n" + LONG);
        }
    }

    @Test
    void anEmptyFileIsServedWithContentLengthZero() throws Exception {
        String response = raw(base, "GET /empty.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("Content-Length: 0\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void headGivesTheHeadersOfGetAndNoBody() throws Exception {
        String response = raw(base, "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("Content-Length: 6\r\n").contains("ETag: \"").contains("Last-Modified: ")
                .endsWith("\r\n\r\n");
    }

    @Test
    void lastModifiedIsTheFileModificationTime() throws Exception {
        Instant modified = Files.getLastModifiedTime(root.resolve("hello.txt")).toInstant().truncatedTo(ChronoUnit.SECONDS);
        assertThat(get(base, "/hello.txt").headers().firstValue("Last-Modified")).hasValue(HttpDates.format(modified));
    }

    @Test
    void ifModifiedSinceTheModificationTimeGives304() throws Exception {
        String lastModified = get(base, "/hello.txt").headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<String> response = get(base, "/hello.txt", "If-Modified-Since", lastModified);
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void ifModifiedSinceAnEarlierTimeGivesTheFile() throws Exception {
        HttpResponse<String> response = get(base, "/hello.txt", "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\n");
    }

    @Test
    void theEtagIsStrongAndIfNoneMatchWithItGives304() throws Exception {
        String etag = get(base, "/hello.txt").headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"");
        HttpResponse<String> response = get(base, "/hello.txt", "If-None-Match", "\"other\", " + etag);
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get(base, "/hello.txt", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() throws Exception {
        String lastModified = get(base, "/hello.txt").headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<String> response = get(base, "/hello.txt", "If-None-Match", "\"other\"", "If-Modified-Since", lastModified);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void theEtagChangesWhenTheFileIsReplaced() throws Exception {
        Path file = root.resolve("changing.txt");
        Files.writeString(file, "one");
        String before = get(base, "/changing.txt").headers().firstValue("ETag").orElseThrow();
        Path next = root.resolve("changing.next");
        Files.writeString(next, "two");
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HttpResponse<String> after = get(base, "/changing.txt", "If-None-Match", before);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("two");
        assertThat(after.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(before);
    }

    @Test
    void ifMatchWithAnotherEtagGives412() throws Exception {
        assertThat(get(base, "/hello.txt", "If-Match", "\"nope\"").statusCode()).isEqualTo(412);
    }

    @Test
    void aRangeGives206WithContentRange() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "bytes=2-4");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo("234");
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 2-4/36");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("3");
    }

    @Test
    void aSuffixRangeGivesTheLastBytes() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "bytes=-3");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo("xyz");
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 33-35/36");
    }

    @Test
    void severalRangesGiveMultipartByteranges() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "bytes=0-1,10-12");
        assertThat(response.statusCode()).isEqualTo(206);
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        assertThat(response.body()).isEqualTo(
                "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/36\r\n\r\n01"
                + "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 10-12/36\r\n\r\nabc"
                + "\r\n--" + boundary + "--\r\n");
        assertThat(response.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void anUnsatisfiableRangeGives416WithTheLength() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "bytes=100-200");
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */36");
    }

    @Test
    void anInvalidRangeHeaderIsIgnored() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "lines=1-2");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DIGITS);
    }

    @Test
    void ifRangeWithAnOldEtagGivesTheWholeFile() throws Exception {
        HttpResponse<String> response = get(base, "/digits.txt", "Range", "bytes=0-1", "If-Range", "\"old\"");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DIGITS);
        String etag = response.headers().firstValue("ETag").orElseThrow();
        assertThat(get(base, "/digits.txt", "Range", "bytes=0-1", "If-Range", etag).statusCode()).isEqualTo(206);
    }

    @Test
    void headIgnoresRange() throws Exception {
        String response = raw(base, "HEAD /digits.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("Content-Length: 36\r\n");
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirectedToIt() throws Exception {
        HttpResponse<String> response = get(base, "/site?x=1");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(URI.create(location).getRawPath() + "?" + URI.create(location).getRawQuery())
                        .isEqualTo("/site/?x=1"));
    }

    @Test
    void aPathStartingWithTwoSlashesIsRedirectedOnTheSameHost() throws Exception {
        String response = raw(base, "GET //site HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(301);
        // the core may normalise the empty segment away; what matters is that the host stays
        assertThat(response).containsPattern("Location: http://example\\.org/+site/\r\n");
    }

    @Test
    void aDirectoryWithIndexHtmlServesIt() throws Exception {
        HttpResponse<String> response = get(base, "/site/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<h1>site</h1>");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    @Test
    void aDirectoryListingEscapesEveryName() throws Exception {
        HttpResponse<String> response = get(base, "/listed/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String page = response.body();
        assertThat(page).doesNotContain("<img").doesNotContain("a\"b")
                .contains(">&lt;img src=x onerror=alert(1)&gt;.txt</a>")
                .contains(">a&quot;b&amp;c&#39;d.txt</a>")
                .contains("href=\"./100%25.txt\"")
                .contains("href=\"./q%3Fx%23y.txt\"")
                .contains("href=\"./spaced%20name.txt\"")
                .contains("href=\"./%C3%A9t%C3%A9.txt\"")
                .contains("href=\"./inner/\"")
                .contains("href=\"../\"");
    }

    @Test
    void everyLinkOfAListingLeadsToItsFile() throws Exception {
        String page = get(base, "/listed/").body();
        java.util.regex.Matcher links = java.util.regex.Pattern.compile("href=\"\\./([^\"/]+)\"").matcher(page);
        int count = 0;
        while (links.find()) {
            String href = links.group(1).replace("&amp;", "&");
            HttpResponse<String> file = get(base, "/listed/" + href);
            assertThat(file.statusCode()).as(href).isEqualTo(200);
            assertThat(URI.create("/listed/" + href).getPath()).isEqualTo("/listed/" + file.body());
            count++;
        }
        assertThat(count).isEqualTo(6);
    }

    @Test
    void theRootListingHasNoParentLink() throws Exception {
        assertThat(get(base, "/").body()).doesNotContain("href=\"../\"").contains("href=\"./hello.txt\"");
    }

    @Test
    void aMissingFileGives404() throws Exception {
        assertThat(get(base, "/nope.txt").statusCode()).isEqualTo(404);
        assertThat(get(base, "/nope/deeper.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void aFileLargerThanTheServersHeapIsStreamed() throws Exception {
        Clients.CurlResult result = Clients.curl("-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                base.resolve("/big.bin").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("200 " + BIG);
        HttpResponse<String> tail = get(base, "/big.bin", "Range", "bytes=-4");
        assertThat(tail.body()).isEqualTo("tail");
    }

    @Test
    void curlResumesAPartialDownload() throws Exception {
        Clients.CurlResult result = Clients.curl("-C", "30", "-o", "-", base.resolve("/digits.txt").toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("uvwxyz");
    }

    @Test
    void putAndDeleteAreRefusedWithoutAllowPut() throws Exception {
        HttpResponse<String> put = Clients.send(HttpRequest.newBuilder(base.resolve("/new.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(root.resolve("new.txt")).doesNotExist();
        HttpResponse<String> delete = Clients.send(HttpRequest.newBuilder(base.resolve("/hello.txt")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(root.resolve("hello.txt")).exists();
    }

    @Test
    void optionsListsTheAllowedMethods() throws Exception {
        String response = raw(base, "OPTIONS /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(204);
        assertThat(response).contains("Allow: GET, HEAD, OPTIONS\r\n");
    }

    @Test
    void anUnknownMethodGives405() throws Exception {
        String response = raw(base, "BREW /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status(response)).isEqualTo(405);
    }

    @Test
    void aLargePostIsRefusedBeforeItsBodyIsSent() throws Exception {
        String response = raw(base, "POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n"
                + "Expect: 100-continue\r\n\r\n");
        assertThat(status(response)).isEqualTo(405);
        assertThat(response).doesNotContain("100 Continue").contains("Allow: GET, HEAD, OPTIONS\r\n");
    }

    @Test
    void anHttp10ClientGetsTheFileWithItsLengthAndAClose() throws Exception {
        String response = raw(base, "GET /hello.txt HTTP/1.0\r\n\r\n");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).contains("Content-Length: 6\r\n").doesNotContain("Transfer-Encoding")
                .endsWith("\r\n\r\nhello\n");
    }

    @Test
    void keepAliveServesSeveralFilesOnOneConnection() throws IOException {
        String response = raw(base, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /digits.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-2\r\n\r\n"
                + "GET /page.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response.split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(response).contains("\r\n\r\nhello\nHTTP/1.1 206 ").contains("\r\n\r\n012HTTP/1.1 200 ")
                .endsWith("<p>hi</p>");
    }
}
