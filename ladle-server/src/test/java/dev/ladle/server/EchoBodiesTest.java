package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.MessageBody;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies of every size class echoed byte-exactly, with a Content-Length and chunked: kept by
 * the server and sent back from where it holds them ({@code appendShared}, or {@code appendOwned} of each
 * {@code getChunk}), kept and flattened, or streamed through the handler's body streams. The sizes sit on the engine's buffer sizes: the input
 * buffer (8 KiB), the output buffer (16 KiB), the first body block (64 KiB) and the largest (256 KiB).
 */
class EchoBodiesTest {
    private static final int[] SIZES = {0, 1, 4096, 8 * 1024, 16 * 1024, 64 * 1024, 256 * 1024, 256 * 1024 + 1, 1 << 20};

    private static final String[] PATHS = {"/appendShared", "/shared", "/flat", "/stream"};

    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/shared", (s, msg, path, query) -> {
            MessageBody request = msg.getRequestBody();
            MessageBody response = msg.getResponseBody();
            for (long at = 0; at < request.length(); ) {
                ByteBuffer chunk = request.getChunk(at);
                response.appendOwned(chunk);
                at += chunk.remaining();
            }
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.setStatus(200);
        });
        server.addHandler("/appendShared", (s, msg, path, query) -> {
            msg.getResponseBody().appendShared(msg.getRequestBody());
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.setStatus(200);
        });
        server.addHandler("/flat", (s, msg, path, query) -> {
            msg.setResponse("application/octet-stream", msg.getRequestBody().flatten());
            msg.setStatus(200);
        });
        server.addEarlyHandler("/stream", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            try (InputStream in = msg.getRequestBodyStream(); OutputStream out = msg.getResponseBodyStream()) {
                in.transferTo(out);
            }
        });
        server.addHandler("/probe", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "GET /probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            msg.setStatus(200);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
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

    @BothProtocols
    void everySizeEchoesByteExactWithAContentLength(Protocol protocol) throws Exception {
        for (String path : PATHS) {
            for (int size : SIZES) {
                // a streamed answer that began before its body was read closes an HTTP/1.1 connection
                try (ProtocolClient client = protocol.connect(base)) {
                    byte[] body = bytes(size);
                    Response r = withLength(client, path, body);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).as("%s %d bytes", path, size).isEqualTo(body);
                }
            }
        }
    }

    @BothProtocols
    void everySizeEchoesByteExactChunked(Protocol protocol) throws Exception {
        for (String path : PATHS) {
            for (int size : SIZES) {
                try (ProtocolClient client = protocol.connect(base)) {
                    byte[] body = bytes(size);
                    Response r = streamed(client, path, body, 10_000);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).as("%s %d bytes", path, size).isEqualTo(body);
                }
            }
        }
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
        try (WireClient wire = new WireClient(base)) {
            // the echo comes back while the body is still going out: send from another thread
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    wire.send("POST /stream HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length + "\r\n\r\n");
                    wire.send(body);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            WireClient.Response r = wire.read();
            sender.join();
            assertThat(r.body()).isEqualTo(body);
        }
    }
}
