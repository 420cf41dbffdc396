package dev.ladle.server;

import static dev.ladle.server.Compressed.gunzip;
import static dev.ladle.server.Compressed.inflate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Encoding;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3: response compression ({@link Compression}) on the wire, over HTTP/1.1 and h2c, read
 * with raw clients so that every header is seen as sent and the bytes are decompressed by the JDK.
 */
class CompressionTest {
    /** 4 KiB of text that compresses well. */
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(92);
    /** Larger than what is compressed in memory, so it is compressed as it is written. */
    private static final String BIG = "line of a large text body, number ".repeat(10_000);

    @TempDir
    static Path files;
    private Server server;
    private URI base;
    private final CountDownLatch clientSawFirst = new CountDownLatch(1);
    private final AtomicBoolean handlerWaitedForClient = new AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        Path file = files.resolve("big.txt");
        Files.writeString(file, BIG);
        server = new Server();
        server.setCompression(Compression.DEFAULT);
        server.addHandler("/", (s, m, p, q) -> {
            switch (p) {
                case "/text" -> {
                    m.setResponse("text/plain; charset=utf-8", TEXT.getBytes(StandardCharsets.UTF_8));
                    m.getResponseHeaders().replace("ETag", "\"v1\"");
                }
                case "/small" -> m.setResponse("text/plain", "short".getBytes(StandardCharsets.UTF_8));
                case "/png" -> m.setResponse("image/png", TEXT.getBytes(StandardCharsets.UTF_8));
                case "/problem" -> m.setResponse("application/problem+json", TEXT.getBytes(StandardCharsets.UTF_8));
                case "/encoded" -> {
                    m.setResponse("text/plain", TEXT.getBytes(StandardCharsets.UTF_8));
                    m.getResponseHeaders().replace("Content-Encoding", "identity");
                }
                case "/varies" -> {
                    m.setResponse("text/plain", TEXT.getBytes(StandardCharsets.UTF_8));
                    m.getResponseHeaders().append("Vary", "Origin, accept-encoding");
                }
                case "/varies-on-all" -> {
                    m.setResponse("text/plain", TEXT.getBytes(StandardCharsets.UTF_8));
                    m.getResponseHeaders().append("Vary", "*");
                }
                case "/off" -> {
                    m.setCompression(Compression.OFF);
                    m.setResponse("text/plain", TEXT.getBytes(StandardCharsets.UTF_8));
                }
                case "/tiny" -> {
                    m.setCompression(Compression.DEFAULT.withMinimumSize(0).withCodings(Compression.Coding.DEFLATE));
                    m.setResponse("text/plain", "short ".repeat(20).getBytes(StandardCharsets.UTF_8));
                }
                case "/big" -> m.setResponse("text/plain", BIG.getBytes(StandardCharsets.UTF_8));
                case "/random" -> {
                    byte[] noise = new byte[4096];
                    new java.util.Random(19).nextBytes(noise);
                    m.setResponse("text/plain", noise);
                }
                case "/no-transform" -> {
                    m.setResponse("text/plain", TEXT.getBytes(StandardCharsets.UTF_8));
                    m.getResponseHeaders().replace("Cache-Control", "no-transform");
                }
                case "/no-content" -> {
                    m.getResponseHeaders().replace("Content-Type", "text/plain");
                    m.setStatus(204);
                }
                case "/file" -> m.setResponseFile(file);
                case "/stream" -> {
                    m.setStatus(200);
                    m.getResponseHeaders().replace("Content-Type", "text/event-stream");
                    try (OutputStream out = m.getResponseBodyStream()) {
                        out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        handlerWaitedForClient.set(clientSawFirst.await(10, TimeUnit.SECONDS));
                        out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case "/chunks" -> {
                    m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
                    m.getResponseHeaders().replace("Content-Type", "text/plain");
                    m.setStatus(200);
                    m.getResponseBody().append("first;");
                    Thread.ofVirtual().start(() -> {
                        try {
                            handlerWaitedForClient.set(clientSawFirst.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            return;
                        }
                        m.getResponseBody().append("second");
                        m.getResponseBody().complete();
                        m.unpause();
                    });
                }
                default -> m.setStatus(404);
            }
            if (m.getStatus() == 0) {
                m.setStatus(200);
            }
        });
        server.addWebSocketHandler("/ws", (s, m, p, ws) -> ws.close(1000, null));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Response get(Protocol protocol, String path, String... headers) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            return c.get(path, headers);
        }
    }

    @BothProtocols
    void gzipAcceptedCompressesWithVaryAWeakEtagAndTheCompressedLength(Protocol protocol) throws Exception {
        Response r = get(protocol, "/text", "Accept-Encoding: gzip, deflate");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        assertThat(r.header("ETag")).isEqualTo("W/\"v1\"");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
        assertThat(r.body().length).isLessThan(TEXT.length() / 10);
        assertThat(gunzip(r.body())).isEqualTo(TEXT);
    }

    @BothProtocols
    void theHighestWeightChoosesTheCoding(Protocol protocol) throws Exception {
        Response r = get(protocol, "/text", "Accept-Encoding: gzip;q=0.5, deflate;q=0.8");
        assertThat(r.header("Content-Encoding")).isEqualTo("deflate");
        assertThat(inflate(r.body())).isEqualTo(TEXT);
    }

    @BothProtocols
    void equalWeightsGoToTheServersOrderAndStarStandsForTheRest(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/text", "Accept-Encoding: deflate, gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(get(protocol, "/text", "Accept-Encoding: *").header("Content-Encoding")).isEqualTo("gzip");
        Response deflate = get(protocol, "/text", "Accept-Encoding: gzip;q=0, *");
        assertThat(deflate.header("Content-Encoding")).isEqualTo("deflate");
        assertThat(inflate(deflate.body())).isEqualTo(TEXT);
    }

    @BothProtocols
    void refusedCodingsLeaveTheBodyAsItIsWithVaryAndTheStrongEtag(Protocol protocol) throws Exception {
        for (String accept : new String[] {"gzip;q=0, deflate;q=0", "*;q=0", "br", "gzip;q=0.5, identity"}) {
            Response r = get(protocol, "/text", "Accept-Encoding: " + accept);
            assertThat(r.header("Content-Encoding")).as(accept).isNull();
            assertThat(r.hasToken("Vary", "Accept-Encoding")).as(accept).isTrue();
            assertThat(r.header("ETag")).as(accept).isEqualTo("\"v1\"");
            assertThat(r.bodyText()).as(accept).isEqualTo(TEXT);
        }
    }

    @BothProtocols
    void withoutAcceptEncodingNothingIsCompressedButTheResponseVaries(Protocol protocol) throws Exception {
        Response r = get(protocol, "/text");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        assertThat(r.bodyText()).isEqualTo(TEXT);
    }

    @BothProtocols
    void aVaryTheHandlerSetIsNotGivenAcceptEncodingTwiceNorBesideAStar(Protocol protocol) throws Exception {
        Response named = get(protocol, "/varies", "Accept-Encoding: gzip");
        assertThat(named.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(named.headers("Vary")).containsExactly("Origin, accept-encoding");
        Response star = get(protocol, "/varies-on-all", "Accept-Encoding: gzip");
        assertThat(star.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(star.headers("Vary")).containsExactly("*");
    }

    @BothProtocols
    void aRangeIsServedFromTheUncompressedBody(Protocol protocol) throws Exception {
        Response r = get(protocol, "/text", "Accept-Encoding: gzip", "Range: bytes=4-8");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Content-Range")).isEqualTo("bytes 4-8/" + TEXT.length());
        assertThat(r.bodyText()).isEqualTo("quick");
        assertThat(r.header("ETag")).isEqualTo("\"v1\"");
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
    }

    @BothProtocols
    void aBodyBelowTheMinimumSizeIsSentAsItIs(Protocol protocol) throws Exception {
        Response r = get(protocol, "/small", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.bodyText()).isEqualTo("short");
    }

    @BothProtocols
    void alreadyCompressedMediaTypesAreSentAsTheyAreWithoutVary(Protocol protocol) throws Exception {
        Response r = get(protocol, "/png", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isNull();
        assertThat(r.bodyText()).isEqualTo(TEXT);
    }

    @BothProtocols
    void aStructuredSyntaxSuffixIsCompressed(Protocol protocol) throws Exception {
        Response r = get(protocol, "/problem", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gunzip(r.body())).isEqualTo(TEXT);
    }

    @BothProtocols
    void aResponseWithAContentEncodingIsLeftAlone(Protocol protocol) throws Exception {
        Response r = get(protocol, "/encoded", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("identity");
        assertThat(r.bodyText()).isEqualTo(TEXT);
    }

    @BothProtocols
    void noTransformAndNoContentAreSentAsTheyAre(Protocol protocol) throws Exception {
        Response noTransform = get(protocol, "/no-transform", "Accept-Encoding: gzip");
        assertThat(noTransform.header("Content-Encoding")).isNull();
        assertThat(noTransform.bodyText()).isEqualTo(TEXT);
        Response noContent = get(protocol, "/no-content", "Accept-Encoding: gzip");
        assertThat(noContent.status()).isEqualTo(204);
        assertThat(noContent.header("Content-Encoding")).isNull();
        assertThat(noContent.body()).isEmpty();
    }

    @BothProtocols
    void aBodyThatCompressionWouldNotShrinkIsSentAsItIsWithVary(Protocol protocol) throws Exception {
        Response r = get(protocol, "/random", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
        assertThat(r.body()).hasSize(4096);
    }

    @Test
    void anHttp10ClientGetsAStreamedCompressedBodyDelimitedByTheClose() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /big HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = socket.getInputStream().readAllBytes();
            int end = new String(all, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            String head = new String(all, 0, end, StandardCharsets.ISO_8859_1);
            assertThat(head).matches("(?s)HTTP/1\\.[01] 200 .*").contains("Content-Encoding: gzip\r\n")
                    .doesNotContain("Transfer-Encoding").doesNotContain("Content-Length");
            assertThat(gunzip(java.util.Arrays.copyOfRange(all, end, all.length))).isEqualTo(BIG);
        }
    }

    @BothProtocols
    void aHandlerTurnsCompressionOffOrChangesItForItsResponse(Protocol protocol) throws Exception {
        Response off = get(protocol, "/off", "Accept-Encoding: gzip");
        assertThat(off.header("Content-Encoding")).isNull();
        assertThat(off.header("Vary")).isNull();
        assertThat(off.bodyText()).isEqualTo(TEXT);
        Response tiny = get(protocol, "/tiny", "Accept-Encoding: gzip, deflate");
        assertThat(tiny.header("Content-Encoding")).isEqualTo("deflate");
        assertThat(inflate(tiny.body())).isEqualTo("short ".repeat(20));
    }

    @BothProtocols
    void headGetsTheHeadersOfGetWithoutContentLengthOrBody(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("HEAD", "/text").header("Accept-Encoding", "gzip")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.hasToken("Vary", "Accept-Encoding")).isTrue();
            assertThat(r.header("ETag")).isEqualTo("W/\"v1\"");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.body()).isEmpty();
            // the connection serves the next request: no body bytes were left on it
            assertThat(c.get("/small").bodyText()).isEqualTo("short");
        }
    }

    @BothProtocols
    void aLargeBodyIsCompressedAsItIsWrittenWithoutContentLength(Protocol protocol) throws Exception {
        Response r = get(protocol, "/big", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.header("Transfer-Encoding")).isEqualTo(protocol == Protocol.HTTP_1_1 ? "chunked" : null);
        assertThat(gunzip(r.body())).isEqualTo(BIG);
    }

    @BothProtocols
    void aFileIsCompressedWithAWeakEtagAndNoAcceptRanges(Protocol protocol) throws Exception {
        Response plain = get(protocol, "/file");
        assertThat(plain.header("ETag")).startsWith("\"");
        assertThat(plain.header("Accept-Ranges")).isEqualTo("bytes");
        Response r = get(protocol, "/file", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("ETag")).isEqualTo("W/" + plain.header("ETag"));
        assertThat(r.header("Accept-Ranges")).isNull();
        assertThat(gunzip(r.body())).isEqualTo(BIG);
    }

    @BothProtocols
    void theWeakEtagOfACompressedFileRevalidatesTo304(Protocol protocol) throws Exception {
        Response r = get(protocol, "/file", "Accept-Encoding: gzip");
        Response again = get(protocol, "/file", "Accept-Encoding: gzip", "If-None-Match: " + r.header("ETag"));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("Content-Encoding")).isNull();
        assertThat(again.body()).isEmpty();
    }

    @BothProtocols
    void aStreamedBodyArrivesDecompressibleAtEachFlushBeforeTheHandlerEnds(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response head = c.send(Request.get("/stream").header("Accept-Encoding", "gzip")).readHead();
            assertThat(head.header("Content-Encoding")).isEqualTo("gzip");
            Compressed.GzipPieces gzip = new Compressed.GzipPieces();
            String text = "";
            while (!text.contains("data: first\n\n")) {
                byte[] piece = c.readBodyPiece();
                assertThat(piece).as("a piece before the second event is written").isNotNull();
                text = gzip.feed(piece);
            }
            assertThat(text).isEqualTo("data: first\n\n");
            clientSawFirst.countDown();
            byte[] piece;
            while ((piece = c.readBodyPiece()) != null) {
                text = gzip.feed(piece);
            }
            assertThat(text).isEqualTo("data: first\n\ndata: second\n\n");
            assertThat(gzip.finished()).isTrue();
        }
        assertThat(handlerWaitedForClient).isTrue();
    }

    @BothProtocols
    void eachAppendedChunkIsDecompressibleOnArrival(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response head = c.send(Request.get("/chunks").header("Accept-Encoding", "gzip")).readHead();
            assertThat(head.header("Content-Encoding")).isEqualTo("gzip");
            Compressed.GzipPieces gzip = new Compressed.GzipPieces();
            String text = "";
            while (!text.equals("first;")) {
                byte[] piece = c.readBodyPiece();
                assertThat(piece).as("a piece before the second chunk is appended").isNotNull();
                text = gzip.feed(piece);
            }
            clientSawFirst.countDown();
            byte[] piece;
            while ((piece = c.readBodyPiece()) != null) {
                text = gzip.feed(piece);
            }
            assertThat(text).isEqualTo("first;second");
        }
        assertThat(handlerWaitedForClient).isTrue();
    }

    @Test
    void aWebSocketHandshakeIsNotCompressed() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Accept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("the handshake answer's end").isNotNegative();
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101 ");
            assertThat(head.toString().toLowerCase(java.util.Locale.ROOT)).doesNotContain("content-encoding")
                    .doesNotContain("vary");
        }
    }
}
