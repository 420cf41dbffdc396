package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.websocket.WebSocketConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: {@link ServerStatistics} counts what the server did, over HTTP/1.1 and HTTP/2 alike.
 * Counts are bumped before the server's RequestFinished and RequestAborted events, so a test waits for
 * those events (never for a guessed time) and then reads exact figures.
 */
@Timeout(60)
class ServerStatisticsTest {
    /** The size of the body {@code /big} answers with. */
    private static final int BIG = 5_000;
    /** The size of the file {@code /file} answers with. */
    private static final int FILE = 100_000;

    @TempDir
    static Path dir;

    private Server server;
    private URI base;
    private final Semaphore finished = new Semaphore(0);
    private final Semaphore aborted = new Semaphore(0);
    private final Semaphore started = new Semaphore(0);
    private final BlockingQueue<WebSocketConnection> webSockets = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/ok", (s, msg, path, query) -> {
            msg.setResponse("text/plain", new byte[] {'o', 'k'});
            msg.setStatus(200);
        });
        server.addHandler("/big", (s, msg, path, query) -> {
            msg.setResponse("application/octet-stream", new byte[BIG]);
            msg.setStatus(200);
        });
        server.addHandler("/length", (s, msg, path, query) -> {
            byte[] length = Long.toString(msg.getRequestBody().length()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            msg.setResponse("text/plain", length);
            msg.setStatus(200);
        });
        server.addHandler("/file", (s, msg, path, query) -> {
            FileChannel file = FileChannel.open(dir.resolve("file"));
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.getResponseBody().appendFile(file, 0, file.size());
            msg.setStatus(200);
        });
        server.addHandler("/text", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "compressible ".repeat(1_000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.addHandler("/fail", (s, msg, path, query) -> {
            throw new IllegalStateException("fails on purpose");
        });
        server.addWebSocketHandler("/ws", null, null, (s, msg, path, conn) -> webSockets.add(conn));
        server.onRequestStarted(msg -> started.release());
        server.onRequestFinished(msg -> finished.release());
        server.onRequestAborted(msg -> aborted.release());
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ServerStatistics stats() {
        return server.getStatistics();
    }

    private static void await(Semaphore events, int count) throws InterruptedException {
        assertThat(events.tryAcquire(count, 10, TimeUnit.SECONDS)).as("%d server events", count).isTrue();
    }

    @Test
    void aNewServerCountsNothing() {
        ServerStatistics s = stats();
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            assertThat(s.getResponses(statusClass)).isZero();
        }
        assertThat(s.getResponsesTotal()).isZero();
        assertThat(s.getConnectionsOpen()).isZero();
        assertThat(s.getConnectionsAccepted()).isZero();
        assertThat(s.getRequestBodyBytesRead()).isZero();
        assertThat(s.getResponseBodyBytesWritten()).isZero();
        assertThat(s.getWebSocketsOpen()).isZero();
        assertThat(s.getTlsHandshakeFailures()).isZero();
        assertThat(s.getRequestsAborted()).isZero();
    }

    @Test
    void aStatusClassOutsideOneToFiveIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> stats().getResponses(0));
        assertThatIllegalArgumentException().isThrownBy(() -> stats().getResponses(6));
    }

    @BothProtocols
    void threeAnsweredRequestsCountThreeIn2xx(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.get("/ok").status()).isEqualTo(200);
            }
        }
        await(finished, 3);
        assertThat(stats().getResponses(2)).isEqualTo(3);
        assertThat(stats().getResponsesTotal()).isEqualTo(3);
    }

    @BothProtocols
    void aMissingPathCountsIn4xxAndAFailingHandlerIn5xx(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(client.get("/missing").status()).isEqualTo(404);
            assertThat(client.get("/fail").status()).isEqualTo(500);
        }
        await(finished, 2);
        assertThat(stats().getResponses(4)).isEqualTo(1);
        assertThat(stats().getResponses(5)).isEqualTo(1);
        assertThat(stats().getResponses(2)).isZero();
    }

    @BothProtocols
    void bodyBytesAreCountedExactlyBothWays(Protocol protocol) throws Exception {
        byte[] upload = new byte[1_234];
        Arrays.fill(upload, (byte) 'u');
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(client.send(Request.of("POST", "/length").body(upload)).read().body()).asString().isEqualTo("1234");
            assertThat(client.get("/big").body()).hasSize(BIG);
        }
        await(finished, 2);
        assertThat(stats().getRequestBodyBytesRead()).isEqualTo(1_234);
        // "1234" answered to the upload, then the big body; heads are not counted
        assertThat(stats().getResponseBodyBytesWritten()).isEqualTo(4 + BIG);
    }

    @BothProtocols
    void fileBodyBytesAreCountedWhetherSentBySendfileOrThroughTheConnection(Protocol protocol) throws Exception {
        Files.write(dir.resolve("file"), new byte[FILE]);
        EngineCounters.useSendfileOnLoopback(server);
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(client.get("/file").body()).hasSize(FILE);
        }
        await(finished, 1);
        assertThat(stats().getResponseBodyBytesWritten()).isEqualTo(FILE);
        if (protocol == Protocol.HTTP_1_1) {
            assertThat(EngineCounters.fileBytesTransferred(server)).as("sent by sendfile").isPositive();
        }
    }

    @BothProtocols
    void aCompressedBodyCountsItsCompressedSize(Protocol protocol) throws Exception {
        server.setCompression(Compression.DEFAULT);
        ProtocolClient.Response response;
        try (ProtocolClient client = protocol.connect(base)) {
            response = client.send(Request.of("GET", "/text").header("Accept-Encoding", "gzip")).read();
        }
        await(finished, 1);
        assertThat(response.header("content-encoding")).isEqualTo("gzip");
        assertThat(response.body().length).isLessThan(13_000);
        assertThat(stats().getResponseBodyBytesWritten()).isEqualTo(response.body().length);
    }

    @BothProtocols
    void aConnectionCountsAsAcceptedAndIsOpenUntilItCloses(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(client.get("/ok").status()).isEqualTo(200);
            assertThat(stats().getConnectionsAccepted()).isEqualTo(1);
            assertThat(stats().getConnectionsOpen()).isEqualTo(1);
        }
        // no server event marks an HTTP/2 connection's end (Disconnected is per stream there): poll
        DisconnectAtEveryPhaseTest.awaitTrue(() -> stats().getConnectionsOpen() == 0, "the connection left the count");
        assertThat(stats().getConnectionsAccepted()).isEqualTo(1);
    }

    @BothProtocols
    void aClientLeavingMidBodyCountsAsAbortedNotAsAResponse(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            client.sendHead(Request.of("POST", "/length").header("Content-Length", "100"));
            client.sendBody(new byte[10]);
            // a reset arriving first could drop the request unread: then no exchange began at all
            await(started, 1);
            client.closeWithReset();
        }
        await(aborted, 1);
        assertThat(stats().getRequestsAborted()).isEqualTo(1);
        assertThat(stats().getResponsesTotal()).isZero();
    }

    @Test
    void aWebSocketIsOpenUntilItClosesAndItsHandshakeCountsIn1xx() throws Exception {
        URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws");
        WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(ws, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        WebSocketConnection conn = webSockets.poll(10, TimeUnit.SECONDS);
        assertThat(conn).as("the handler got the connection").isNotNull();
        CountDownLatch closed = new CountDownLatch(1);
        conn.onClosed(closed::countDown);
        assertThat(stats().getWebSocketsOpen()).isEqualTo(1);
        await(finished, 1);
        assertThat(stats().getResponses(1)).isEqualTo(1);

        client.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        // the count goes down before listeners added after the handshake run
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stats().getWebSocketsOpen()).isZero();
    }
}
