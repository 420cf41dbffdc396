package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies of every size class echoed byte-exactly, with a Content-Length and chunked: kept by
 * the server and sent back from where it holds them ({@code appendShared}, or {@code appendOwned} of each
 * {@code getChunk}), kept and flattened, or streamed through the handler's body streams. The sizes sit
 * on the engine's buffer sizes: the input buffer (8 KiB), the output buffer (16 KiB), the first body
 * block (64 KiB) and the largest (256 KiB).
 */
class EchoBodiesTest {
    private static final int[] SIZES = {0, 1, 4096, 8 * 1024, 16 * 1024, 64 * 1024, 256 * 1024, 256 * 1024 + 1, 1 << 20};

    private static final String[] PATHS = {"/appendShared", "/shared", "/flat", "/stream"};

    private EngineFixture fixture;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        fixture = EngineFixture.start(new Limits(), server -> {
            EchoHandlers.addTo(server);
            server.addEarlyHandler("/stream", (s, msg, path, query) -> {
                msg.setStatus(200);
                msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
                try (InputStream in = msg.getRequestBodyStream(); OutputStream out = msg.getResponseBodyStream()) {
                    in.transferTo(out);
                }
            });
        });
        base = fixture.uri;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static Response withLength(ProtocolClient client, String path, byte[] body) throws Exception {
        return client.send(Request.of("POST", path).body(body)).read();
    }

    /** Sends {@code body} without a length (chunked on HTTP/1.1) in pieces of {@code piece} bytes. */
    private static Response streamed(ProtocolClient client, String path, byte[] body, int piece) throws Exception {
        client.sendHead(Request.of("POST", path));
        for (int at = 0; at < body.length; at += piece) {
            client.sendBody(Arrays.copyOfRange(body, at, Math.min(body.length, at + piece)));
        }
        return client.endBody().read();
    }

    /** How a test sends a body to a path and reads the answer. */
    private interface Sender {
        Response send(ProtocolClient client, String path, byte[] body) throws Exception;
    }

    /** Every path echoes every size byte-exact, each on a new connection, the body sent by {@code sender}. */
    private void assertEveryPathEchoesEverySize(Protocol protocol, Sender sender) throws Exception {
        for (String path : PATHS) {
            for (int size : SIZES) {
                // a streamed answer that began before its body was read closes an HTTP/1.1 connection
                try (ProtocolClient client = protocol.connect(base)) {
                    byte[] body = bytes(size);
                    Response r = sender.send(client, path, body);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).as("%s %d bytes", path, size).isEqualTo(body);
                }
            }
        }
    }

    @BothProtocols
    void everySizeEchoesByteExactWithAContentLength(Protocol protocol) throws Exception {
        assertEveryPathEchoesEverySize(protocol, EchoBodiesTest::withLength);
    }

    @BothProtocols
    void everySizeEchoesByteExactChunked(Protocol protocol) throws Exception {
        assertEveryPathEchoesEverySize(protocol, (client, path, body) -> streamed(client, path, body, 10_000));
    }

    @BothProtocols
    void keptBodiesOfEverySizeEchoOnOneConnection(Protocol protocol) throws Exception {
        try (ProtocolClient client = protocol.connect(base)) {
            for (int size : SIZES) {
                byte[] body = bytes(size);
                assertThat(withLength(client, "/appendShared", body).body()).as("%d bytes", size).isEqualTo(body);
                assertThat(withLength(client, "/shared", body).body()).as("%d bytes", size).isEqualTo(body);
                assertThat(streamed(client, "/flat", body, 7_000).body()).as("%d bytes", size).isEqualTo(body);
            }
        }
    }

    @BothProtocols
    void twentyMebibytesSentInPiecesAreKeptAndEchoedExactly(Protocol protocol) throws Exception {
        byte[] body = bytes(20 << 20);
        try (ProtocolClient client = protocol.connect(base)) {
            assertThat(streamed(client, "/shared", body, 100_000).body()).isEqualTo(body);
            assertThat(withLength(client, "/shared", body).body()).isEqualTo(body);
            assertThat(withLength(client, "/appendShared", body).body()).isEqualTo(body);
        }
    }

    @Test
    void twentyMebibytesStreamThroughTheHandlersBodyStreamsWhileTheClientStillSends() throws Exception {
        byte[] body = bytes(20 << 20);
        int held = 1 << 20;
        CountDownLatch echoBegan = new CountDownLatch(1);
        try (WireClient wire = new WireClient(base)) {
            // the echo comes back while the body is still going out: send from another thread, holding the
            // last mebibyte back until the echo began (a server that read the whole body first never answers)
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    wire.send("POST /stream HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length + "\r\n\r\n");
                    wire.send(Arrays.copyOf(body, body.length - held));
                    if (echoBegan.await(10, TimeUnit.SECONDS)) {
                        wire.send(Arrays.copyOfRange(body, body.length - held, body.length));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(wire.readHead().status()).isEqualTo(200);
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            echoed.writeBytes(wire.readChunk());
            echoBegan.countDown();
            for (byte[] chunk = wire.readChunk(); chunk != null; chunk = wire.readChunk()) {
                echoed.writeBytes(chunk);
            }
            sender.join();
            assertThat(echoed.toByteArray()).isEqualTo(body);
        }
    }
}
