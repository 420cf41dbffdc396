package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ladle.http.HttpDates;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.internal.FileAccess;
import dev.ladle.server.ProtocolClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ServerMessage.setResponseFile}: the file streamed with its type and validators, conditional
 * requests, ranges (one, several, unsatisfiable, {@code If-Range}), HEAD, the failures a client may
 * learn of (404, 403) and nothing more, over HTTP/1.1 and h2c, with the JDK client and curl too.
 */
class FileResponseTest {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
    /** The modification time of {@code digits.txt}, whole seconds. */
    private static final Instant MODIFIED = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;
    private EngineFixture fixture;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("digits.txt"), DIGITS);
        Files.setLastModifiedTime(dir.resolve("digits.txt"), FileTime.from(MODIFIED));
        // /file/NAME answers with the file NAME; ?type= gives the content type, ?status= a status set before
        fixture = EngineFixture.start(new Limits(), server -> {
            server.addHandler("/file", (s, msg, path, query) -> {
                Path file = dir.resolve(path.substring("/file/".length()));
                if (query != null && query.containsKey("status")) {
                    msg.setStatus(Integer.parseInt(query.get("status")));
                }
                if (query != null && query.containsKey("type")) {
                    msg.setResponseFile(file, query.get("type"));
                } else {
                    msg.setResponseFile(file);
                }
            });
            server.addHandler("/swapped", (s, msg, path, query) -> {
                // /swapped/NAME: NAME's attributes are read, then NAME is swapped for a link to secret.txt
                // before the answer, as if by someone racing the check (see StaticFiles)
                try {
                    Path file = dir.resolve(path.substring("/swapped/".length()));
                    BasicFileAttributes checked = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    Files.delete(file);
                    Files.createSymbolicLink(file, Files.writeString(dir.resolve("secret.txt"), "secret"));
                    FileAccess.respond(msg, file, "text/plain", checked, null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
        base = fixture.uri;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Response get(Protocol protocol, String target, String... headers) throws IOException {
        try (ProtocolClient client = protocol.connect(base)) {
            return client.get(target, headers);
        }
    }

    private String etag() throws IOException {
        return get(Protocol.HTTP_1_1, "/file/digits.txt").header("etag");
    }

    @BothProtocols
    void theFileIsAnsweredWithItsTypeLengthAndValidators(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/digits.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(DIGITS);
        assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("content-length")).isEqualTo("36");
        assertThat(r.header("last-modified")).isEqualTo(HttpDates.format(MODIFIED));
        assertThat(r.header("etag")).startsWith("\"").endsWith("\"").hasSizeGreaterThan(2);
        assertThat(r.header("accept-ranges")).isEqualTo("bytes");
    }

    @Test
    void theContentTypeGivenReplacesTheGuess() throws Exception {
        Response r = get(Protocol.HTTP_1_1, "/file/digits.txt?type=application/x-digits");
        assertThat(r.header("content-type")).isEqualTo("application/x-digits");
        assertThat(r.bodyText()).isEqualTo(DIGITS);
    }

    @Test
    void anUnknownExtensionIsOctetStream() throws Exception {
        Files.write(dir.resolve("blob.xyz"), new byte[] {1, 2, 3});
        assertThat(get(Protocol.HTTP_1_1, "/file/blob.xyz").header("content-type")).isEqualTo("application/octet-stream");
    }

    @Test
    void aLargeFileGoesBySendfileAndArrivesByteExact() throws Exception {
        byte[] expected = new byte[3 << 20];
        new Random(7).nextBytes(expected);
        Files.write(dir.resolve("big.bin"), expected);
        EngineCounters.useSendfileOnLoopback(fixture.server);
        assertThat(get(Protocol.HTTP_1_1, "/file/big.bin").body()).isEqualTo(expected);
        // counted once the last write returned, which may be after the client has every byte
        DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.fileBytesTransferred(fixture.server) > 0, "sent by sendfile");
    }

    @BothProtocols
    void headGivesTheHeadersAndTheLengthWithoutTheBody(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            Response r = client.send(Request.of("HEAD", "/file/digits.txt")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("36");
            assertThat(r.header("etag")).isEqualTo(etag());
            assertThat(r.body()).isEmpty();
            // the connection (or stream) ended cleanly: the next request is answered
            assertThat(client.get("/file/digits.txt").bodyText()).isEqualTo(DIGITS);
        }
    }

    @BothProtocols
    void ifNoneMatchWithTheEtagGives304WithTheValidatorsAndNoBody(Protocol protocol) throws Exception {
        String etag = etag();
        Response r = get(protocol, "/file/digits.txt", "If-None-Match: \"other\", " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("etag")).isEqualTo(etag);
        assertThat(r.header("last-modified")).isEqualTo(HttpDates.format(MODIFIED));
        assertThat(r.header("content-type")).isNull();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void ifModifiedSinceTheModificationTimeGives304AndAnEarlierTimeTheFile() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt", "If-Modified-Since: " + HttpDates.format(MODIFIED)).status())
                .isEqualTo(304);
        Response earlier = get(Protocol.HTTP_1_1, "/file/digits.txt",
                "If-Modified-Since: " + HttpDates.format(MODIFIED.minusSeconds(1)));
        assertThat(earlier.status()).isEqualTo(200);
        assertThat(earlier.bodyText()).isEqualTo(DIGITS);
    }

    @Test
    void ifMatchWithAnotherEtagGives412AndWithTheEtagTheFile() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt", "If-Match: \"nope\"").status()).isEqualTo(412);
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt", "If-Match: " + etag()).status()).isEqualTo(200);
    }

    @Test
    void ifUnmodifiedSinceAnEarlierTimeGives412() throws Exception {
        Response r = get(Protocol.HTTP_1_1, "/file/digits.txt", "If-Unmodified-Since: " + HttpDates.format(MODIFIED.minusSeconds(60)));
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.bodyText()).isEqualTo("412 Precondition Failed\n");
        assertThat(r.header("etag")).isNull();
    }

    @Test
    void theEtagChangesWhenTheFileIsReplacedWithTheSameSizeAndTime() throws Exception {
        String before = etag();
        Path next = dir.resolve("digits.next");
        Files.writeString(next, DIGITS.toUpperCase(java.util.Locale.ROOT));
        Files.setLastModifiedTime(next, FileTime.from(MODIFIED));
        Files.move(next, dir.resolve("digits.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Response after = get(Protocol.HTTP_1_1, "/file/digits.txt", "If-None-Match: " + before);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("etag")).isNotEqualTo(before);
    }

    @BothProtocols
    void aRangeGives206WithContentRange(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/digits.txt", "Range: bytes=2-4");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.bodyText()).isEqualTo("234");
        assertThat(r.header("content-range")).isEqualTo("bytes 2-4/36");
        assertThat(r.header("content-length")).isEqualTo("3");
    }

    @BothProtocols
    void severalRangesGiveMultipartByterangesWithTheFilesType(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/digits.txt", "Range: bytes=0-1,10-12");
        assertThat(r.status()).isEqualTo(206);
        String type = r.header("content-type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        assertThat(r.bodyText()).isEqualTo(
                "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/36\r\n\r\n01"
                + "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 10-12/36\r\n\r\nabc"
                + "\r\n--" + boundary + "--\r\n");
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(r.body().length));
    }

    @BothProtocols
    void anUnsatisfiableRangeGives416WithTheLength(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/digits.txt", "Range: bytes=100-200");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("content-range")).isEqualTo("bytes */36");
    }

    @BothProtocols
    void ifRangeWithAStaleEtagGivesTheWholeFile(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/digits.txt", "Range: bytes=0-1", "If-Range: \"stale\"");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(DIGITS);
    }

    @Test
    void ifRangeWithTheCurrentEtagOrDateGivesTheRange() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt", "Range: bytes=0-1", "If-Range: " + etag()).bodyText())
                .isEqualTo("01");
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt", "Range: bytes=0-1", "If-Range: " + HttpDates.format(MODIFIED))
                .status()).isEqualTo(206);
    }

    @Test
    void headIgnoresTheRange() throws Exception {
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            Response r = client.send(Request.of("HEAD", "/file/digits.txt").header("Range", "bytes=0-1")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("36");
        }
    }

    @BothProtocols
    void aMissingFileGives404SayingNothingOfTheFileSystem(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file/nope.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("404 Not Found\n");
        assertThat(r.text()).doesNotContain(dir.toString()).doesNotContain("Exception");
    }

    @Test
    void aPathThroughAFileGives404() throws Exception {
        // ENOTDIR, which the JDK reports as a plain FileSystemException
        assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt/inner").status()).isEqualTo(404);
    }

    @Test
    void aNameTooLongGives404() throws Exception {
        assertThat(get(Protocol.HTTP_1_1, "/file/" + "n".repeat(300)).status()).isEqualTo(404);
    }

    @BothProtocols
    void aFileCheckedAsNoLinkIsOpenedWithoutFollowingOneSwappedInSince(Protocol protocol) throws Exception {
        Files.writeString(dir.resolve("checked.txt"), "checked");
        Response r = get(protocol, "/swapped/checked.txt");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo("403 Forbidden\n");
    }

    @Test
    void conditionsAreEvaluatedWhateverTheCaseOfTheirNames() throws Exception {
        String etag = etag();
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.get("/file/digits.txt", "IF-NONE-MATCH: " + etag).status()).isEqualTo(304);
            assertThat(client.get("/file/digits.txt", "if-match: \"other\"").status()).isEqualTo(412);
            assertThat(client.get("/file/digits.txt", "If-Modified-Since: " + HttpDates.format(MODIFIED)).status())
                    .isEqualTo(304);
            assertThat(client.get("/file/digits.txt",
                    "if-unmodified-since: " + HttpDates.format(MODIFIED.minusSeconds(60))).status()).isEqualTo(412);
        }
    }

    @Test
    void aDirectoryGives403() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Response r = get(Protocol.HTTP_1_1, "/file/sub");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo("403 Forbidden\n");
    }

    @Test
    void anUnreadableFileGives403() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(secret)).as("the tests run as a user whom permissions bind (not root)").isFalse();
        assertThat(get(Protocol.HTTP_1_1, "/file/secret.txt").status()).isEqualTo(403);
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.send(Request.of("HEAD", "/file/secret.txt")).read().status()).isEqualTo(403);
        }
    }

    @Test
    void aStatusSetBeforeIsKeptAndTheWholeFileSentWithoutValidators() throws Exception {
        Files.writeString(dir.resolve("missing.html"), "<h1>not here</h1>");
        Response r = get(Protocol.HTTP_1_1, "/file/missing.html?status=404", "Range: bytes=0-1", "If-None-Match: *");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("<h1>not here</h1>");
        assertThat(r.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("etag")).isNull();
    }

    @Test
    void theFileIsClosedOnceTheExchangeEnded() throws Exception {
        Path file = dir.resolve("digits.txt").toRealPath();
        for (int i = 0; i < 5; i++) {
            assertThat(get(Protocol.HTTP_1_1, "/file/digits.txt").bodyText()).isEqualTo(DIGITS);
            assertThat(get(Protocol.HTTP_2, "/file/digits.txt", "Range: bytes=0-1,5-6").status()).isEqualTo(206);
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> openDescriptorsOf(file) == 0, "every descriptor of the file closed");
    }

    /** Counts this process's open descriptors on {@code file} (Linux's /proc). */
    private static long openDescriptorsOf(Path file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void okHttpGetsARangeOverH2c() throws Exception {
        // the JDK client knows only the retired Upgrade: h2c; it speaks HTTP/2 to files over TLS (FileResponseTlsTest)
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .protocols(java.util.List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
        okhttp3.Request request = new okhttp3.Request.Builder().url(base.resolve("/file/digits.txt").toString())
                .header("Range", "bytes=-3").build();
        try (okhttp3.Response r = client.newCall(request).execute()) {
            assertThat(r.protocol()).isEqualTo(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(r.code()).isEqualTo(206);
            assertThat(r.body().string()).isEqualTo("xyz");
        }
    }

    @Test
    void theJdkClientGetsTheFileOverHttp11() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/file/digits.txt"))
                .header("Range", "bytes=0-1,-3").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("multipart/byteranges"));
        assertThat(r.body()).contains("\r\n\r\n01\r\n").contains("\r\n\r\nxyz\r\n");
    }

    @BothProtocols
    void curlResumesAPartialDownload(Protocol protocol) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", protocol.curlFlag(), "-C", "30", "-o", "-",
                base.resolve("/file/digits.txt").toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("uvwxyz");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void curlGetsALargeFileByteExactOverBothProtocols() throws Exception {
        byte[] expected = new byte[5 << 20];
        new Random(11).nextBytes(expected);
        Files.write(dir.resolve("big.bin"), expected);
        for (Protocol protocol : Protocol.values()) {
            Path out = dir.resolve("out-" + protocol);
            Process p = new ProcessBuilder("curl", "-sS", protocol.curlFlag(), "-o", out.toString(),
                    base.resolve("/file/big.bin").toString()).redirectErrorStream(true).start();
            String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(messages).isZero();
            assertThat(Arrays.equals(Files.readAllBytes(out), expected)).as(protocol.name()).isTrue();
        }
    }
}
