package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response bodies that are files ({@code MessageBody.appendFile}): sent by {@code sendfile} on plain
 * HTTP/1.1 (which the server is told to use over loopback too: {@link LoopbackFileCopyTest} has the
 * default there), read into memory over HTTP/2, byte-exact either way, with ranges, HEAD, files that change
 * size while they are sent, and every channel closed once its exchange ended.
 */
class FileBodyTest {
    @TempDir
    Path dir;
    private EngineFixture fixture;
    private Server server;
    private URI base;
    /** Every channel the handler opened, to check that the server closed it. */
    private final List<FileChannel> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fixture = EngineFixture.start(new Limits(), server -> server.addHandler("/file", (s, msg, path, query) -> {
            Path file = dir.resolve(path.substring("/file/".length()));
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            opened.add(channel);
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.getResponseBody().appendFile(channel, 0, channel.size());
            changeFile(file, query);
            msg.setStatus(200);
        }));
        server = fixture.server;
        EngineCounters.useSendfileOnLoopback(server);
        base = fixture.uri;
    }

    /** What a test asks the handler to do to the file after appending it: shrink it, grow it, or fail. */
    private static void changeFile(Path file, Map<String, String> query) throws IOException {
        if (query == null) {
            return;
        }
        if (query.containsKey("shrinkTo")) {
            try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writer.truncate(Long.parseLong(query.get("shrinkTo")));
            }
        }
        if (query.containsKey("growBy")) {
            Files.write(file, new byte[Integer.parseInt(query.get("growBy"))], StandardOpenOption.APPEND);
        }
        if (query.containsKey("fail")) {
            throw new IllegalStateException("the handler failed after appending the file");
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private byte[] write(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.write(dir.resolve(name), bytes);
        return bytes;
    }

    private long transferred() {
        return EngineCounters.fileBytesTransferred(server);
    }

    @BothProtocols
    void fileBodiesOfEverySizeArriveByteExact(Protocol protocol) throws Exception {
        int[] sizes = {0, 1, 4096, 16 * 1024 - 200, 16 * 1024, 64 * 1024, 64 * 1024 + 1, 1 << 20, 5 << 20};
        try (ProtocolClient client = protocol.connect(base)) {
            for (int size : sizes) {
                byte[] expected = write("f" + size, size);
                Response r = client.get("/file/f" + size);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("content-length")).isEqualTo(Integer.toString(size));
                assertThat(r.body()).as("%d bytes", size).isEqualTo(expected);
            }
        }
    }

    @Test
    void aLargeFileGoesBySendfileOnAPlainConnection() throws Exception {
        byte[] expected = write("big", 3 << 20);
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.get("/file/big").body()).isEqualTo(expected);
        }
        // counted once the last sendfile returned, which may be after the client has every byte
        DisconnectAtEveryPhaseTest.awaitTrue(() -> transferred() > 0, "sent by sendfile");
        assertThat(transferred()).isLessThanOrEqualTo(expected.length);
    }

    @Test
    void aSmallFileIsReadIntoTheWriteOfItsHeadNotSentBySendfile() throws Exception {
        byte[] expected = write("small", 1024);
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.get("/file/small").body()).isEqualTo(expected);
        }
        assertThat(transferred()).isZero();
    }

    @Test
    void http2ReadsTheFileInsteadOfSendingItBySendfile() throws Exception {
        byte[] expected = write("big", 3 << 20);
        try (ProtocolClient client = Protocol.HTTP_2.connect(base)) {
            assertThat(client.get("/file/big").body()).isEqualTo(expected);
        }
        assertThat(transferred()).isZero();
    }

    @BothProtocols
    void aRangeOfAFileBodyIsCutFromTheFile(Protocol protocol) throws Exception {
        byte[] expected = write("big", 1 << 20);
        try (ProtocolClient client = protocol.connect(base)) {
            Response r = client.get("/file/big", "Range: bytes=100000-299999");
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.header("content-range")).isEqualTo("bytes 100000-299999/1048576");
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(expected, 100_000, 300_000));
        }
    }

    @BothProtocols
    void severalRangesOfAFileBodyGiveMultipartWithTheFilesBytes(Protocol protocol) throws Exception {
        byte[] expected = write("big", 1 << 20);
        try (ProtocolClient client = protocol.connect(base)) {
            Response r = client.get("/file/big", "Range: bytes=0-9,500000-699999");
            assertThat(r.status()).isEqualTo(206);
            String boundary = r.header("content-type").substring("multipart/byteranges; boundary=".length());
            byte[] second = Arrays.copyOfRange(expected, 500_000, 700_000);
            byte[] body = r.body();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int start = text.indexOf("Content-Range: bytes 500000-699999/1048576\r\n\r\n") + 46;
            assertThat(Arrays.copyOfRange(body, start, start + second.length)).isEqualTo(second);
            assertThat(text).endsWith("\r\n--" + boundary + "--\r\n");
        }
    }

    @BothProtocols
    void headOfAFileBodyGivesItsLengthAndNoBody(Protocol protocol) throws Exception {
        write("big", 100_000);
        try (ProtocolClient client = protocol.connect(base)) {
            Response r = client.send(ProtocolClient.Request.of("HEAD", "/file/big")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("100000");
            assertThat(r.body()).isEmpty();
            assertThat(client.get("/probe").status()).isEqualTo(200);
        }
        // the HEAD exchange ends (and closes its file) once its response is written, which on HTTP/2 may
        // come after the client read that response and the probe's
        DisconnectAtEveryPhaseTest.awaitTrue(() -> opened.stream().noneMatch(FileChannel::isOpen), "the file closed");
        assertThat(opened).allSatisfy(channel -> assertThat(channel.isOpen()).isFalse());
    }

    @Test
    void aLargeFileThatShrankCutsTheResponseAndClosesTheConnection() throws Exception {
        assertShrunkFileCutsTheResponse(2 << 20, 1 << 20);
    }

    @Test
    void aSmallFileThatShrankCutsTheResponseAndClosesTheConnection() throws Exception {
        assertShrunkFileCutsTheResponse(4000, 1000);
    }

    private void assertShrunkFileCutsTheResponse(int size, int shrunk) throws Exception {
        write("shrinking", size);
        try (WireClient wire = new WireClient(base)) {
            wire.get("/file/shrinking?shrinkTo=" + shrunk);
            WireClient.Response head = wire.readHead();
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(size));
            InputStream in = wire.socket().getInputStream();
            byte[] rest = in.readAllBytes();
            assertThat(rest.length).as("body bytes before the server closed").isLessThan(size);
        }
        // the server goes on serving
        try (WireClient wire = new WireClient(base)) {
            wire.assertOpen();
        }
        assertThat(opened).allSatisfy(channel -> assertThat(channel.isOpen()).isFalse());
    }

    @BothProtocols
    void aFileThatGrewSendsTheLengthAppendedAndKeepsTheConnection(Protocol protocol) throws Exception {
        byte[] expected = write("growing", 200_000);
        try (ProtocolClient client = protocol.connect(base)) {
            Response r = client.get("/file/growing?growBy=50000");
            assertThat(r.body()).isEqualTo(expected);
            assertThat(client.get("/probe").status()).isEqualTo(200);
        }
    }

    @Test
    void theFileOfAResponseIsClosedOnceTheExchangeEnded() throws Exception {
        write("f", 100_000);
        try (WireClient wire = new WireClient(base)) {
            wire.get("/file/f");
            assertThat(wire.read().body()).hasSize(100_000);
            // the connection's next answer comes after the first exchange ended
            wire.assertOpen();
        }
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).isOpen()).isFalse();
    }

    @Test
    void theFileOfAHandlerThatFailedIsClosed() throws Exception {
        write("f", 1000);
        try (WireClient wire = new WireClient(base)) {
            wire.get("/file/f?fail=1");
            assertThat(wire.read().status()).isEqualTo(500);
            wire.assertOpen();
        }
        assertThat(opened.get(0).isOpen()).isFalse();
    }

    @Test
    void noFileStaysOpenAfterAThousandRequestsIncludingAbortedOnes() throws Exception {
        write("big", 4 << 20);
        write("small", 3000);
        for (int i = 0; i < 1000; i++) {
            try (WireClient wire = new WireClient(base)) {
                if (i % 10 == 0) {
                    // the client leaves after the head of a large file: the server's write fails
                    wire.get("/file/big");
                    wire.readHead();
                    wire.socket().setSoLinger(true, 0);
                    continue;
                }
                wire.get("/file/small");
                assertThat(wire.read().body()).hasSize(3000);
                wire.get("/file/big", "Range: bytes=0-99");
                assertThat(wire.read().body()).hasSize(100);
                wire.assertOpen();
            }
        }
        // every connection ended: a new one's answer comes after all of them went
        server.close();
        assertThat(opened).hasSize(1900).allSatisfy(channel -> assertThat(channel.isOpen()).isFalse());
    }

    @Test
    void aFileRegionInTheMiddleOfAStreamedBodyIsReadAsChunks() throws Exception {
        byte[] expected = write("part", 70_000);
        server.addHandler("/mixed", (s, msg, path, query) -> {
            msg.getResponseHeaders().replace("Transfer-Encoding", "chunked");
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.getResponseBody().append("<");
            msg.getResponseBody().appendFile(FileChannel.open(dir.resolve("part")), 0, 70_000);
            msg.getResponseBody().appendOwned(ByteBuffer.wrap(">".getBytes(StandardCharsets.US_ASCII)));
            msg.getResponseBody().complete();
            msg.setStatus(200);
        });
        try (WireClient wire = new WireClient(base)) {
            wire.get("/mixed");
            byte[] body = wire.read().body();
            assertThat(body).hasSize(70_002);
            assertThat(Arrays.copyOfRange(body, 1, 70_001)).isEqualTo(expected);
            assertThat(body[70_001]).isEqualTo((byte) '>');
        }
        assertThat(transferred()).as("bytes sent by sendfile").isZero();
    }
}
