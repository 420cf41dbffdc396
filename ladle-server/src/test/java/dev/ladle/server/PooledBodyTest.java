package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.http.MessageBody;
import dev.ladle.server.ProtocolClient.Request;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Large request bodies on plain HTTP/1.1 are read into the server's pool of direct buffers: every
 * block comes back when its exchange ends (aborted ones included), a body kept past its exchange fails
 * loudly instead of showing a later request's bytes, and a block application code saw is never reused.
 */
class PooledBodyTest {
    private static final int LARGE = 1 << 20;

    private Server server;
    private URI base;
    private final AtomicReference<MessageBody> keptBody = new AtomicReference<>();
    private final AtomicReference<ByteBuffer> keptChunk = new AtomicReference<>();
    private final AtomicReference<MessageBody> sharedCopy = new AtomicReference<>();
    private final java.util.List<String> digests = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setLimits(new Limits().setBodyReadTimeout(Duration.ofMillis(500)));
        server.addHandler("/echo", (s, msg, path, query) -> {
            msg.getResponseBody().appendShared(msg.getRequestBody());
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.setStatus(200);
        });
        server.addHandler("/keep", (s, msg, path, query) -> {
            keptBody.set(msg.getRequestBody());
            keptChunk.compareAndSet(null, msg.getRequestBody().getChunk(0));
            MessageBody copy = new MessageBody();
            copy.appendShared(msg.getRequestBody());
            sharedCopy.compareAndSet(null, copy);
            msg.setResponse("text/plain", Long.toString(msg.getRequestBody().length()).getBytes(StandardCharsets.US_ASCII));
            msg.setStatus(200);
        });
        server.addEarlyHandler("/digest", (s, msg, path, query) -> {
            msg.getRequestBody().setAccumulate(false);
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            msg.onGotChunk(digest::update);
            msg.onGotBody(() -> digests.add(java.util.HexFormat.of().formatHex(digest.digest())));
        });
        server.addHandler("/digest", (s, msg, path, query) -> {
            msg.setResponse("text/plain", digests.remove(0).getBytes(StandardCharsets.US_ASCII));
            msg.setStatus(200);
        });
        server.addHandler("/probe", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "GET /probe".getBytes(StandardCharsets.US_ASCII));
            msg.setStatus(200);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String postHead(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + length + "\r\n\r\n";
    }

    @Test
    void everyBlockComesBackAfterAThousandRequestsIncludingAbortedOnes() throws Exception {
        byte[] body = bytes(300_000, 1);
        for (int i = 0; i < 1000; i++) {
            try (WireClient wire = new WireClient(base)) {
                switch (i % 4) {
                    case 0 -> {
                        // the client leaves halfway through the body
                        wire.send(postHead("/echo", body.length));
                        wire.send(Arrays.copyOf(body, 150_000));
                        wire.socket().setSoLinger(true, 0);
                    }
                    case 1 -> {
                        // the client leaves before reading the echo
                        wire.send(postHead("/echo", body.length));
                        wire.send(body);
                        wire.socket().setSoLinger(true, 0);
                    }
                    default -> {
                        wire.send(postHead("/echo", body.length));
                        wire.send(body);
                        assertThat(wire.read().body()).isEqualTo(body);
                        wire.assertOpen();
                    }
                }
            }
        }
        // closing waits for every connection's exchange to end
        server.close();
        assertThat(EngineCounters.pooledBlocksLent(server)).isZero();
        assertThat(EngineCounters.pooledBlocksRetained(server)).isPositive().isLessThanOrEqualTo(64);
    }

    @Test
    void aBurstOfLargeBodiesLeavesNoMoreThanTheMinimumOfFreeBlocksBehind() throws Exception {
        byte[] body = bytes(LARGE, 7);
        java.util.concurrent.atomic.AtomicInteger echoed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (WireClient wire = new WireClient(base)) {
                    wire.send(postHead("/echo", body.length)).send(body);
                    if (Arrays.equals(wire.read().body(), body)) {
                        echoed.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        assertThat(echoed.get()).isEqualTo(40);
        server.close();
        assertThat(EngineCounters.pooledBlocksLent(server)).isZero();
        assertThat(EngineCounters.pooledBlocksRetained(server)).isLessThanOrEqualTo(64);
    }

    @Test
    void aLargeBodyKeptPastItsExchangeThrowsInsteadOfShowingLaterBytes() throws Exception {
        try (WireClient wire = new WireClient(base)) {
            wire.send(postHead("/keep", LARGE)).send(bytes(LARGE, 2));
            assertThat(wire.read().bodyText()).isEqualTo(Integer.toString(LARGE));
            // the next answer on the connection comes after the first exchange ended
            wire.assertOpen();
        }
        MessageBody kept = keptBody.get();
        assertThatThrownBy(kept::flatten).isInstanceOf(IllegalStateException.class).hasMessageContaining("exchange");
        assertThatThrownBy(() -> kept.getChunk(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesApplicationCodeHeldOnToAreNeverReusedForLaterRequests() throws Exception {
        byte[] first = bytes(LARGE, 3);
        try (WireClient wire = new WireClient(base)) {
            wire.send(postHead("/keep", LARGE)).send(first);
            wire.read();
            for (int i = 0; i < 20; i++) {
                byte[] other = bytes(LARGE, 100 + i);
                wire.send(postHead("/echo", LARGE)).send(other);
                assertThat(wire.read().body()).isEqualTo(other);
            }
        }
        ByteBuffer chunk = keptChunk.get();
        byte[] seen = new byte[chunk.remaining()];
        chunk.duplicate().get(seen);
        assertThat(seen).isEqualTo(Arrays.copyOf(first, seen.length));
        assertThat(sharedCopy.get().flatten()).isEqualTo(first);
    }

    @Test
    void aLargeBodyThatStallsGets408() throws Exception {
        try (WireClient wire = new WireClient(base)) {
            wire.send(postHead("/echo", LARGE)).send(bytes(200_000, 4));
            WireClient.Response r = wire.read();
            assertThat(r.status()).isEqualTo(408);
            wire.assertClosed();
        }
        server.close();
        assertThat(EngineCounters.pooledBlocksLent(server)).isZero();
    }

    @Test
    void aLargeBodyNobodyKeepsPassesThroughOneBlockToItsListeners() throws Exception {
        byte[] body = bytes(5 * LARGE + 777, 6);
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        try (WireClient wire = new WireClient(base)) {
            for (int i = 0; i < 3; i++) {
                wire.send(postHead("/digest", body.length)).send(body);
                assertThat(wire.read().bodyText()).isEqualTo(expected);
            }
        }
        server.close();
        assertThat(EngineCounters.pooledBlocksLent(server)).isZero();
        assertThat(EngineCounters.pooledBlocksRetained(server)).isEqualTo(1);
    }

    @BothProtocols
    void aLargeBodyEchoedWithAppendSharedArrivesWhole(Protocol protocol) throws Exception {
        byte[] body = bytes(3 * LARGE + 12_345, 5);
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(client.send(Request.of("POST", "/echo").body(body)).read().body()).isEqualTo(body);
            assertThat(client.get("/probe").status()).isEqualTo(200);
        }
    }
}
