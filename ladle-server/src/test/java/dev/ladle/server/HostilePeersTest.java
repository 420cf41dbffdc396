package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 3: peers that read or write as slowly as they can, each cut off by its timeout (lowered
 * here to keep the tests short) while the server goes on serving everybody else. What is cut is the
 * one connection, never the server: each test ends with a normal request on a new connection.
 */
class HostilePeersTest {
    /** The write timeout these tests run with. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final int BIG = 4 * 1024 * 1024;

    private Server server;
    private URI base;
    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final CountDownLatch aborted = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setLimits(new Limits().setWriteTimeout(WRITE_TIMEOUT).setBodyReadTimeout(Duration.ofMillis(500)));
        server.onRequestFinished(m -> finished.incrementAndGet());
        server.onRequestAborted(m -> aborted.countDown());
        server.addHandler("/ping", (s, m, p, q) -> {
            m.setStatus(200);
            m.setResponse("text/plain", "pong".getBytes(StandardCharsets.UTF_8));
        });
        server.addHandler("/big", (s, m, p, q) -> {
            handled.incrementAndGet();
            m.setStatus(200);
            m.setResponse("application/octet-stream", new byte[BIG]);
        });
        server.addHandler("/page", (s, m, p, q) -> {
            handled.incrementAndGet();
            m.setStatus(200);
            m.setResponse("application/octet-stream", new byte[32 * 1024]);
        });
        server.addHandler("/upload", (s, m, p, q) -> {
            handled.incrementAndGet();
            m.setStatus(200);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void webSocketPeerThatNeverReadsBlocksTheSenderAndIsDroppedByTheWriteTimeout() throws Exception {
        AtomicReference<WebSocketConnection> socket = new AtomicReference<>();
        AtomicLong sentBytes = new AtomicLong();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Throwable> sendEnded = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch senderDone = new CountDownLatch(1);
        byte[] message = new byte[64 * 1024];
        server.addWebSocketHandler("/ws", null, null, (s, m, p, conn) -> {
            socket.set(conn);
            conn.onError(error::set);
            conn.onClosed(closed::countDown);
            Thread.ofVirtual().start(() -> {
                try {
                    // as fast as the peer takes them: sendMessage returns once the socket took a message
                    while (true) {
                        conn.sendMessage(DataType.BINARY, message);
                        sentBytes.addAndGet(message.length);
                    }
                } catch (RuntimeException e) {
                    sendEnded.set(e);
                } finally {
                    senderDone.countDown();
                }
            });
        });
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(4096);
            peer.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            peer.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            // the peer reads nothing, not even the 101: the sender fills the socket buffers and blocks
            long start = System.nanoTime();
            DisconnectAtEveryPhaseTest.awaitTrue(() -> socket.get() != null, "the WebSocket handler ran");
            assertServedWhileStalled(closed);
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("the WebSocket was closed").isTrue();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("dropped soon after the write timeout").isLessThan(WRITE_TIMEOUT.toMillis() + 3000);
            assertThat(senderDone.await(5, TimeUnit.SECONDS)).as("the blocked send returned").isTrue();
        }
        WebSocketConnection conn = socket.get();
        assertThat(conn.getState()).isEqualTo(WebSocketState.CLOSED);
        assertThat(error.get()).as("the failed write is reported").isInstanceOf(IOException.class);
        // what the server took is bounded by the socket buffers, not queued without end in the heap
        assertThat(sentBytes.get()).isLessThan(32L * 1024 * 1024);
        assertThat(sendEnded.get()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> conn.sendText("too late")).isInstanceOf(IllegalStateException.class);
        awaitNoConnections();
        assertServedMeanwhile();
    }

    @Test
    void clientReadingTheResponseOneByteASecondIsCutOffByTheWriteTimeout() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = client.getInputStream();
                    do {
                        if (in.read() < 0) {
                            return;
                        }
                        received.incrementAndGet();
                    } while (!stop.await(1, TimeUnit.SECONDS)); // the pace of the attack, not a wait for an event
                } catch (IOException | InterruptedException e) {
                    // cut off
                }
            });
            long start = System.nanoTime();
            DisconnectAtEveryPhaseTest.awaitTrue(() -> handled.get() == 1, "the handler ran");
            assertServedWhileStalled(aborted);
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isLessThan(WRITE_TIMEOUT.toMillis() + 3000);
            awaitNoConnections();
            stop.countDown();
            reader.join(5000);
        }
        assertThat(received.get()).as("bytes the slow reader got").isLessThan(BIG);
        assertThat(finished.get()).as("only the probes finished").isEqualTo(1);
        assertServedMeanwhile();
    }

    @Test
    void clientSendingTheBodyOneByteASecondGets408AfterTheBodyReadTimeout() throws Exception {
        long start;
        String response;
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            start = System.nanoTime();
            // one body byte a second until the server answers; the one-second read timeout is the pace
            client.setSoTimeout(1000);
            int first = -1;
            for (int i = 0; i < 10 && first < 0; i++) {
                out.write('x');
                out.flush();
                try {
                    first = in.read();
                } catch (SocketTimeoutException e) {
                    // nothing yet: the next byte
                }
            }
            assertThat(first).as("the server answered").isEqualTo('H');
            client.setSoTimeout(5000);
            response = "H" + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response).startsWith("HTTP/1.1 408 ").containsIgnoringCase("Connection: close");
        assertThat(tookMillis).isBetween(450L, 3000L);
        assertThat(handled.get()).as("the handler never ran").isZero();
        awaitNoConnections();
        assertServedMeanwhile();
    }

    @Test
    void pipelinedRequestsWhoseResponsesAreNeverReadAreCutOffByTheWriteTimeout() throws Exception {
        int requests = 2000;
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            byte[] one = "GET /page HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                all.write(one);
            }
            long start = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.getOutputStream().write(all.toByteArray());
                } catch (IOException e) {
                    // the server may cut us off before it read them all
                }
            });
            DisconnectAtEveryPhaseTest.awaitTrue(() -> handled.get() > 0, "the first request was handled");
            assertServedWhileStalled(aborted);
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isLessThan(WRITE_TIMEOUT.toMillis() + 3000);
            awaitNoConnections();
            writer.join(5000);
        }
        // the server reads the next request only once it wrote the last response: unread responses
        // stop it, they do not pile up in memory
        assertThat(handled.get()).as("requests handled").isLessThan(requests / 2);
        assertServedMeanwhile();
    }

    /** A normal client on a new connection is answered. */
    private void assertServedMeanwhile() throws IOException {
        try (WireClient c = new WireClient(base)) {
            c.send("GET /ping HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("pong");
        }
    }

    /** A normal client is answered while the hostile one still holds its connection ({@code cut} not yet down). */
    private void assertServedWhileStalled(CountDownLatch cut) throws IOException {
        assertServedMeanwhile();
        assertThat(cut.getCount()).as("the stalled connection was still open when the probe was answered").isEqualTo(1);
    }

    private void awaitNoConnections() throws InterruptedException {
        DisconnectAtEveryPhaseTest.awaitTrue(() -> server.getConnectionCount() == 0, "no connection left");
    }
}
