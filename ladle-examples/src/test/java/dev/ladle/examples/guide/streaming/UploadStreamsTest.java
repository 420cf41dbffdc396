package dev.ladle.examples.guide.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.handlers.RawHttp;
import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request bodies read as a stream and chunk by chunk, larger than the body size limit, none kept. */
class UploadStreamsTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = UploadStreams.start();
        server.setLimits(new Limits().setMaxRequestBodySize(1024 * 1024));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An upload of {@code size} random bytes generated as the client sends them: nothing holds it whole. */
    private static InputStream randomBytes(long size, MessageDigest seen) {
        Random random = new Random(7);
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                byte[] piece = new byte[n];
                random.nextBytes(piece);
                System.arraycopy(piece, 0, b, off, n);
                seen.update(piece);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void aStreamedBodyOverTheBodySizeLimitIsDigestedAsItArrives() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/sha256"))
                    .POST(BodyPublishers.ofInputStream(() -> randomBytes(20L * 1024 * 1024, sent))).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(HexFormat.of().formatHex(sent.digest()) + "\n");
        }
    }

    @Test
    void theStreamSendsTheAwaited100ContinueOnItsFirstRead() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            raw.send("POST /sha256 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(100);
            assertThat(raw.send("abc").read().text())
                    .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
        }
    }

    @Test
    void aMalformedStreamedBodyIsA400() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /sha256 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX").read();
            assertThat(r.status()).isEqualTo(400);
        }
    }

    @Test
    void chunksAreCountedAndNothingIsKept() throws Exception {
        String text = "a line\n".repeat(400_000); // 2.8 MB, over the 1 MiB limit for bodies kept in memory
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/lines"))
                    .POST(BodyPublishers.ofString(text)).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("400000 lines\n");
        }
    }

    @Test
    void theSameBodyKeptInMemoryWouldBeRefused() throws Exception {
        server.addHandler("/kept", (srv, msg, path, query) -> msg.setResponseValue(msg.getRequestBody().length() + "\n"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/kept"))
                    .POST(BodyPublishers.ofString("a line\n".repeat(400_000))).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
        }
    }
}
