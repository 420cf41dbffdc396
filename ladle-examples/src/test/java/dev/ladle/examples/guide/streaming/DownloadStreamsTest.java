package dev.ladle.examples.guide.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.handlers.RawHttp;
import dev.ladle.server.Server;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed responses: chunked as produced, sized and back-pressured, and ranges of a complete body. */
class DownloadStreamsTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = DownloadStreams.start(Duration.ofMillis(50));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCountdownIsChunkedAndEachFlushIsOneChunk() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response head = raw.send("GET /countdown HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(new String(raw.readChunk(), StandardCharsets.UTF_8)).isEqualTo("3\n");
            assertThat(new String(raw.readChunk(), StandardCharsets.UTF_8)).isEqualTo("2\n");
            assertThat(new String(raw.readChunk(), StandardCharsets.UTF_8)).isEqualTo("1\n");
            StringBuilder rest = new StringBuilder();
            for (byte[] chunk = raw.readChunk(); chunk != null; chunk = raw.readChunk()) {
                rest.append(new String(chunk, StandardCharsets.UTF_8));
            }
            assertThat(rest).hasToString("liftoff\n");
        }
    }

    @Test
    void anHttp10ClientGetsTheCountdownDelimitedByTheClose() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("GET /countdown HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.text()).isEqualTo("3\n2\n1\nliftoff\n");
        }
    }

    @Test
    void theJdkClientReadsTheCountdownLineByLineAsItComes() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<java.util.stream.Stream<String>> r = client.send(HttpRequest.newBuilder(base.resolve("/countdown")).build(),
                    BodyHandlers.ofLines());
            assertThat(r.body().toList()).containsExactly("3", "2", "1", "liftoff");
        }
    }

    @Test
    void aSizedBodyIsSentWithItsContentLength() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/zeros?size=1000000")).build(), BodyHandlers.ofByteArray());
            assertThat(r.headers().firstValue("Content-Length")).hasValue("1000000");
            assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(r.body()).hasSize(1_000_000);
        }
    }

    @Test
    void aClientThatStopsReadingStopsTheWriterFarShortOfTheEnd() throws Exception {
        long total = 1L << 30; // 1 GiB: far more than socket buffers hold
        LongAdder written = new LongAdder();
        server.onRequestStarted(msg -> msg.onWroteBodyData(written::add));
        try (RawHttp raw = new RawHttp(base)) {
            raw.send("GET /zeros?size=" + total + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(200);
            // the client reads no further: the handler's writes block once the socket buffers are full
            long last = -1;
            int steady = 0;
            for (int i = 0; i < 200 && steady < 5; i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                long now = written.sum();
                steady = now == last ? steady + 1 : 0;
                last = now;
            }
            assertThat(steady).as("the writer stalled").isEqualTo(5);
            assertThat(last).isLessThan(64L * 1024 * 1024);
        }
    }

    @Test
    void aRangeOfACompleteBodyIsAnsweredWith206() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/alphabet")).header("Range", "bytes=0-4").build(),
                    BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 0-4/26");
            assertThat(r.body()).isEqualTo("abcde");
            HttpResponse<String> suffix = client.send(HttpRequest.newBuilder(base.resolve("/alphabet")).header("Range", "bytes=-3").build(),
                    BodyHandlers.ofString());
            assertThat(suffix.body()).isEqualTo("xyz");
            HttpResponse<String> two = client.send(HttpRequest.newBuilder(base.resolve("/alphabet")).header("Range", "bytes=0-1,5-6").build(),
                    BodyHandlers.ofString());
            assertThat(two.statusCode()).isEqualTo(206);
            assertThat(two.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("multipart/byteranges"));
            assertThat(two.body()).contains("ab", "fg", "Content-Range: bytes 0-1/26", "Content-Range: bytes 5-6/26");
            HttpResponse<String> none = client.send(HttpRequest.newBuilder(base.resolve("/alphabet")).header("Range", "bytes=100-").build(),
                    BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(416);
            assertThat(none.headers().firstValue("Content-Range")).hasValue("bytes */26");
            HttpResponse<String> whole = client.send(HttpRequest.newBuilder(base.resolve("/alphabet")).build(), BodyHandlers.ofString());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).hasSize(26);
        }
    }

    @Test
    void aStreamedResponseIgnoresRange() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(base.resolve("/zeros?size=100")).header("Range", "bytes=0-4").build(),
                    BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().readAllBytes()).hasSize(100);
        }
    }
}
