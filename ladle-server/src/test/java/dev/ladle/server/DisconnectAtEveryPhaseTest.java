package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Encoding;
import dev.ladle.http.Forms;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.websocket.CloseCode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4: a client that leaves at any phase of an exchange ends it as an aborted request (never
 * a finished one), fires the message's Disconnected event (a WebSocket's closed event with 1006), and
 * leaves nothing behind: no socket or other descriptor, no thread, no temporary file, no direct buffer,
 * and the message (with the buffers its connection held) becomes garbage. Every count is taken after a
 * warm-up exchange and compared after a bounded poll.
 */
class DisconnectAtEveryPhaseTest {
    private static final String BOUNDARY = "hostile-boundary";
    /**
     * How long an event or a release may take: a bound that catches "never", generous for a loaded
     * machine; a passing test waits only as long as the server takes.
     */
    private static final long PATIENCE_SECONDS = 10;

    @TempDir
    Path uploads;

    private Server server;
    private URI base;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private volatile CountDownLatch abortedLatch = new CountDownLatch(1);
    private volatile CountDownLatch disconnected = new CountDownLatch(1);
    private volatile WeakReference<ServerMessage> lastMessage = new WeakReference<>(null);
    /** Handlers that must not write after the client left wait for this. */
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final CountDownLatch handlerRunning = new CountDownLatch(1);
    private ResourceCounts baseline;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setLimits(new Limits().setWriteTimeout(Duration.ofSeconds(2)));
        server.onRequestStarted(m -> {
            started.incrementAndGet();
            lastMessage = new WeakReference<>(m);
            CountDownLatch d = disconnected;
            m.onDisconnected(d::countDown);
        });
        server.onRequestFinished(m -> finished.incrementAndGet());
        server.onRequestAborted(m -> {
            aborted.incrementAndGet();
            abortedLatch.countDown();
        });
        server.addHandler("/echo", (s, m, p, q) -> m.setResponse("text/plain",
                ("got " + m.getRequestBody().length()).getBytes(StandardCharsets.UTF_8)));
        server.addHandler("/paused", (s, m, p, q) -> {
            m.pause();
            handlerRunning.countDown();
        });
        server.addHandler("/stream", (s, m, p, q) -> {
            m.setStatus(200);
            OutputStream out = m.getResponseBodyStream();
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.flush();
            handlerRunning.countDown();
            await(clientGone);
            byte[] more = new byte[1024];
            // the write that finds the client gone throws; the bound only keeps a broken server from looping
            for (int i = 0; i < 100_000; i++) {
                out.write(more);
                out.flush();
            }
        });
        server.addHandler("/chunks", (s, m, p, q) -> {
            m.setStatus(200);
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.getResponseBody().append("first".getBytes(StandardCharsets.UTF_8));
            handlerRunning.countDown();
            // no complete(): the server sends the chunk, then waits (paused) for more that never comes
        });
        server.addEarlyHandler("/upload", (s, m, p, q) -> {
            try (Forms.MultipartForm form = Forms.decodeMultipart(m, "file", uploads, 1 << 20)) {
                m.setResponse("text/plain", ("saved " + form.file().size()).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.addWebSocketHandler("/ws", null, null, (s, m, p, conn) -> {
            conn.onClosed(() -> {
                webSocketCloseCode.set(conn.getCloseCode());
                webSocketClosed.countDown();
            });
            handlerRunning.countDown();
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        warmUp();
    }

    private final AtomicInteger webSocketCloseCode = new AtomicInteger(-1);
    private final CountDownLatch webSocketClosed = new CountDownLatch(1);

    /**
     * One exchange over each protocol, so that what a server makes once (its watchdog, classes) is in the
     * baseline; and one large body on HTTP/1.1, whose block of the body buffer pool the server keeps.
     */
    private void warmUp() throws Exception {
        for (Protocol protocol : Protocol.values()) {
            try (ProtocolClient c = protocol.connect(base)) {
                assertThat(c.send(Request.of("POST", "/echo").body("warm")).read().bodyText()).isEqualTo("got 4");
            }
        }
        try (ProtocolClient c = Protocol.HTTP_1_1.connect(base)) {
            assertThat(c.send(Request.of("POST", "/echo").body(new byte[100_000])).read().bodyText()).isEqualTo("got 100000");
        }
        awaitNoConnections();
        started.set(0);
        finished.set(0);
        aborted.set(0);
        disconnected = new CountDownLatch(1);
        baseline = ResourceCounts.take(uploads);
    }

    @AfterEach
    void stop() {
        clientGone.countDown();
        server.close();
    }

    // ---- HTTP/1.1 only: the head ------------------------------------------------------------------

    @Test
    void clientLeavingMidRequestLineAbortsTheRequestAndLeavesNothingBehind() throws Exception {
        try (WireClient c = new WireClient(base)) {
            c.send("GET /echo?a=1 HT");
            awaitStarted();
        }
        assertAbortedAndNothingLeft();
    }

    @Test
    void clientLeavingMidHeadersAbortsTheRequestAndLeavesNothingBehind() throws Exception {
        try (WireClient c = new WireClient(base)) {
            c.send("GET /echo HTTP/1.1\r\nHost: h\r\nX-Half: ");
            awaitStarted();
        }
        assertAbortedAndNothingLeft();
    }

    // ---- both protocols: the body, pausing, the response -------------------------------------------

    @BothProtocols
    void clientLeavingMidBodyAbortsTheRequestAndLeavesNothingBehind(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("POST", "/echo").header("Content-Length", "100000"));
            c.sendBody(new byte[1000]);
            awaitStarted();
        }
        assertAbortedAndNothingLeft();
    }

    @BothProtocols
    void clientResettingMidBodyAbortsTheRequestAndLeavesNothingBehind(Protocol protocol) throws Exception {
        ProtocolClient c = protocol.connect(base);
        try {
            c.sendHead(Request.of("POST", "/echo").header("Content-Length", "100000"));
            c.sendBody(new byte[1000]);
            awaitStarted();
        } finally {
            c.closeWithReset();
        }
        assertAbortedAndNothingLeft();
    }

    /**
     * The connection of a request that ended stays counted until the request's finished event fired:
     * the event is held back until the connection is gone, if it can go first. Otherwise an event of an
     * earlier request could land after a caller saw no connection left (the warm-up's, in these tests).
     */
    @BothProtocols
    void clientLeavingRightAfterTheResponseEndsItsConnectionOnlyAfterRequestFinished(Protocol protocol) throws Exception {
        AtomicInteger connectionsAtFinish = new AtomicInteger(-1);
        CountDownLatch finishedSeen = new CountDownLatch(1);
        server.onRequestFinished(m -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (server.getConnectionCount() > 0 && System.nanoTime() < deadline) {
                pollPause();
            }
            connectionsAtFinish.set(server.getConnectionCount());
            finishedSeen.countDown();
        });
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.of("POST", "/echo").body("bye")).read().bodyText()).isEqualTo("got 3");
        }
        assertThat(finishedSeen.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("request-finished fired").isTrue();
        assertThat(connectionsAtFinish.get()).as("connections open when request-finished fired").isEqualTo(1);
        awaitNoConnections();
        assertThat(finished.get()).as("request-finished").isEqualTo(1);
        assertThat(aborted.get()).as("request-aborted").isZero();
    }

    @BothProtocols
    void clientLeavingMidStreamedUploadDeletesTheTemporaryFile(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("POST", "/upload")
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .header("Content-Length", "1000000"));
            c.sendBody("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n");
            c.sendBody(new byte[8000]);
            awaitTrue(() -> fileCount(uploads) > 0, "the upload's temporary file was created");
        }
        assertAbortedAndNothingLeft();
    }

    @BothProtocols
    void clientLeavingWhilePausedAbortsTheRequestAndLeavesNothingBehind(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            c.send(Request.get("/paused"));
            await(handlerRunning);
        }
        assertAbortedAndNothingLeft();
    }

    @BothProtocols
    void clientLeavingMidStreamedResponseAbortsTheRequestAndLeavesNothingBehind(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            c.send(Request.get("/stream"));
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(new String(c.readBodyPiece(), StandardCharsets.UTF_8)).isEqualTo("first");
        }
        clientGone.countDown();
        assertAbortedAndNothingLeft();
    }

    @BothProtocols
    void clientLeavingMidChunkedResponseWaitingForMoreAbortsTheRequestAndLeavesNothingBehind(Protocol protocol)
            throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            c.send(Request.get("/chunks"));
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(new String(c.readBodyPiece(), StandardCharsets.UTF_8)).isEqualTo("first");
        }
        assertAbortedAndNothingLeft();
    }

    // ---- WebSocket ---------------------------------------------------------------------------------

    @Test
    void clientLeavingMidWebSocketMessageClosesTheWebSocketAbnormallyAndLeavesNothingBehind() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(socket);
            assertThat(head).startsWith("HTTP/1.1 101 ");
            await(handlerRunning);
            // a masked binary frame announcing 1,000 bytes, of which 10 come
            byte[] frame = new byte[2 + 2 + 4 + 10];
            frame[0] = (byte) 0x82;
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (1000 >> 8);
            frame[3] = (byte) (1000 & 0xff);
            out.write(frame);
            out.flush();
        }
        assertThat(webSocketClosed.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the WebSocket's closed event").isTrue();
        assertThat(webSocketCloseCode.get()).isEqualTo(CloseCode.ABNORMAL);
        assertThat(disconnected.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the upgrade message's Disconnected event").isTrue();
        // the upgrade request itself was answered (101) before the client left
        assertThat(finished.get()).isEqualTo(1);
        assertThat(aborted.get()).isZero();
        assertNothingLeft();
    }

    // ---- checks ------------------------------------------------------------------------------------

    private void assertAbortedAndNothingLeft() throws Exception {
        assertThat(abortedLatch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
        assertThat(disconnected.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the message's Disconnected event").isTrue();
        assertThat(started.get()).as("request-started").isEqualTo(1);
        assertThat(aborted.get()).as("request-aborted").isEqualTo(1);
        assertThat(finished.get()).as("request-finished").isZero();
        assertNothingLeft();
    }

    private void assertNothingLeft() throws Exception {
        awaitNoConnections();
        ResourceCounts.awaitNoMoreThan(baseline, uploads, TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        awaitTrue(() -> {
            System.gc();
            return lastMessage.get() == null;
        }, "the message (and its connection's buffers) became garbage");
    }

    private void awaitStarted() throws Exception {
        awaitTrue(() -> started.get() > 0, "request-started fired");
    }

    private void awaitNoConnections() throws Exception {
        awaitTrue(() -> server.getConnectionCount() == 0, "no connection left");
    }

    private static int fileCount(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} for up to {@link #PATIENCE_SECONDS}. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(10); // a poll interval
        }
    }

    private static void pollPause() {
        try {
            Thread.sleep(10); // a poll interval
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readHead(Socket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        var in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the end of the head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
