package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.CONTINUATION;
import static dev.ladle.server.internal.http2.H2TestClient.END_HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.END_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.GOAWAY;
import static dev.ladle.server.internal.http2.H2TestClient.HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.RST_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.internal.http2.H2TestClient.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Limits and flood defences: each test fails without its defence. */
class Http2DefenceTest {

    @Test
    void streamsBeyondMaxConcurrentStreamsAreRefusedWithoutStartingTheHandler() throws Exception {
        Http2Config config = new Http2Config(2, 1 << 20, 16 << 20, 16384, 64 << 10, 4096, Duration.ofSeconds(30), true);
        try (Http2TestServer s = new Http2TestServer(config); H2TestClient c = H2TestClient.connect(s.port())) {
            s.blockStarted = new CountDownLatch(2);
            c.headers(1, false, request("POST", "/block"));
            c.headers(3, false, request("POST", "/block"));
            c.headers(5, false, request("POST", "/block"));
            assertThat(c.expectReset(5)).isEqualTo(ErrorCode.REFUSED_STREAM.code());
            assertThat(s.blockStarted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(s.started.get()).isEqualTo(2);
            // a closed stream frees its slot
            c.data(1, true, new byte[0]);
            c.expectReset(1); // /block returns without answering: INTERNAL_ERROR
            c.get(7, "/");
            assertThat(c.response(7).status()).isEqualTo("200");
        }
    }

    @Test
    void rapidResetGetsEnhanceYourCalmAndRunningHandlersSeeTheirStreamsReset() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/block"));
            assertThat(s.blockStarted.await(5, TimeUnit.SECONDS)).isTrue();
            int[] goAway = {-1};
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    goAway[0] = c.expectGoAway();
                } catch (IOException e) {
                    // closed
                }
            });
            int opened = 0;
            try {
                for (int id = 3; id < 20_003 && reader.isAlive(); id += 2, opened++) {
                    c.sendRaw(H2TestClient.concat(
                            H2TestClient.frame(HEADERS, END_HEADERS, id, H2TestClient.block(request("POST", "/block"))),
                            H2TestClient.frame(RST_STREAM, 0, id, new byte[] {0, 0, 0, 8})));
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            reader.join(10_000);
            assertThat(goAway[0]).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
            assertThat(opened).isLessThan(10_000);
            assertThat(s.blockReset.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void continuationFloodGetsEnhanceYourCalm() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.send(HEADERS, 0, 1, H2TestClient.block(request("GET", "/")));
            try {
                // 10 x 16 KB, past the block cap (header-list limit + one frame, 80 KiB): an endless flood
                // would get the same answer after the same 80 KiB; how much more the socket buffers take
                // before the close depends on the kernel, so the test stops sending here
                byte[] junk = H2TestClient.block("x-junk", "y".repeat(16000));
                for (int sent = 0; sent < 10; sent++) {
                    c.send(CONTINUATION, 0, 1, junk);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
            assertThat(c.awaitClosed(5000)).isTrue();
        }
    }

    @Test
    void emptyContinuationFloodGetsEnhanceYourCalm() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.send(HEADERS, 0, 1, H2TestClient.block(request("GET", "/")));
            try {
                for (int i = 0; i < 100_000; i++) {
                    c.send(CONTINUATION, 0, 1, new byte[0]);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
        }
    }

    @Test
    void headerListOverTheLimitIsAnswered431WithoutStartingTheHandler() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            byte[] block = H2TestClient.block(request("GET", "/", "x-big", "v".repeat(70_000)));
            c.send(HEADERS, END_STREAM, 1, Arrays.copyOfRange(block, 0, 16384));
            for (int off = 16384; off < block.length; off += 16384) {
                int end = Math.min(block.length, off + 16384);
                c.send(CONTINUATION, end == block.length ? END_HEADERS : 0, 1, Arrays.copyOfRange(block, off, end));
            }
            H2TestClient.Response r = c.response(1);
            assertThat(r.status()).isEqualTo("431");
            assertThat(s.started.get()).isZero();
            c.get(3, "/");
            assertThat(c.response(3).status()).isEqualTo("200");
        }
    }

    @Test
    void hpackBombIsAnswered431AndTheConnectionStaysUsable() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            // one 4 KB entry in the dynamic table, then referenced 1000 times with one byte each: 4 MB decoded
            byte[] bomb = H2TestClient.concat(H2TestClient.block(request("GET", "/")),
                    H2TestClient.indexedLiteral("x-bomb", "b".repeat(4000)));
            byte[] refs = new byte[1000];
            Arrays.fill(refs, (byte) 0xbe); // indexed field 62: the newest dynamic entry
            c.send(HEADERS, END_HEADERS | END_STREAM, 1, H2TestClient.concat(bomb, refs));
            assertThat(c.response(1).status()).isEqualTo("431");
            assertThat(s.started.get()).isZero();
            c.get(3, "/");
            assertThat(c.response(3).status()).isEqualTo("200");
        }
    }

    @Test
    void pingFloodGetsEnhanceYourCalm() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            byte[] ping = H2TestClient.frame(H2TestClient.PING, 0, 0, new byte[8]);
            try {
                for (int i = 0; i < 2000; i++) {
                    c.sendRaw(ping);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
        }
    }

    @Test
    void settingsFloodGetsEnhanceYourCalm() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            try {
                for (int i = 0; i < 200; i++) {
                    c.settings(4, 65535);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
        }
    }

    @Test
    void emptyDataFloodGetsEnhanceYourCalm() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/block"));
            try {
                for (int i = 0; i < 1000; i++) {
                    c.data(1, false, new byte[0]);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM.code());
        }
    }

    @Test
    void clientThatStopsReadingIsDisconnectedByTheWriteTimeout() throws Exception {
        Http2Config config = Http2Config.defaults().withWriteTimeout(Duration.ofMillis(500));
        try (Http2TestServer s = new Http2TestServer(config); H2TestClient c = new H2TestClient(s.port())) {
            c.socket.setReceiveBufferSize(16 << 10);
            c.handshake(4, Integer.MAX_VALUE);
            c.windowUpdate(0, Integer.MAX_VALUE - 65535);
            // endless responses, never read: our writes block once the socket buffers are full
            try {
                for (int id = 1; id < 200; id += 2) {
                    c.get(id, "/stream/10000000");
                }
            } catch (IOException e) {
                // the server closed the connection
            }
            assertThat(s.connectionEnded.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void idleConnectionIsClosedWithGoAwayByCheckIdle() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            c.response(1);
            Http2Connection connection = s.connection();
            connection.checkIdle(System.nanoTime(), TimeUnit.HOURS.toNanos(1));
            c.ping(1);
            assertThat(c.nextSignificant().type()).isEqualTo(H2TestClient.PING);
            connection.checkIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1));
            Frame f = c.nextSignificant();
            assertThat(f.type()).isEqualTo(GOAWAY);
            assertThat(f.errorCode()).isEqualTo(ErrorCode.NO_ERROR.code());
            assertThat(f.int32(0)).isEqualTo(1);
            assertThat(c.awaitClosed(5000)).isTrue();
        }
    }

    @Test
    void connectionWithAnOpenStreamIsNotIdle() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/block"));
            assertThat(s.blockStarted.await(5, TimeUnit.SECONDS)).isTrue();
            s.connection().checkIdle(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1);
            c.ping(5);
            assertThat(c.nextSignificant().type()).isEqualTo(H2TestClient.PING);
        }
    }
}
