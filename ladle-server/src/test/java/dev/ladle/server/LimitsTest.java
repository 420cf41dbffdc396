package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static dev.ladle.server.EngineFixture.assertRejectedAndClosed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@link Limits} the engine enforces (issue 2, item 7): each over-limit request gets its status and
 * a close, checked while reading rather than after buffering; each limit has a sane default.
 */
class LimitsTest {

    private static String target(int length) {
        return "/" + "a".repeat(length - 1);
    }

    @Test
    void requestLineOverTheLimitIsAnswered414AndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestLineLength(100)); WireClient c = f.connect()) {
            c.send("GET " + target(200) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertRejectedAndClosed(c, 414);
        }
    }

    @Test
    void requestLineOneByteOverTheLimitIsAnswered414() throws Exception {
        // "GET " + target + " HTTP/1.1" is 101 bytes, CRLF excluded
        String line = "GET " + target(101 - 13) + " HTTP/1.1";
        assertThat(line).hasSize(101);
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestLineLength(100)); WireClient c = f.connect()) {
            c.send(line + "\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(414);
            c.assertClosed();
        }
    }

    @Test
    void requestLineExactlyAtTheLimitIsServed() throws Exception {
        String line = "GET " + target(100 - 13) + " HTTP/1.1";
        assertThat(line).hasSize(100);
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestLineLength(100)); WireClient c = f.connect()) {
            c.send(line + "\r\nHost: h\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.assertOpen();
        }
    }

    @Test
    void overLongRequestLineIsRefusedBeforeItsEnd() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestLineLength(1000)); WireClient c = f.connect()) {
            // no LF yet: the server must not wait for one
            c.send("GET " + target(5000));
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(414);
            c.assertClosed();
        }
    }

    @Test
    void headerSectionOverTheLimitIsAnswered431AndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderSectionSize(1024)); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n");
            assertRejectedAndClosed(c, 431);
        }
    }

    @Test
    void headerSectionJustUnderTheLimitIsServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderSectionSize(1024)); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(900) + "\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.assertOpen();
        }
    }

    @Test
    void oneMegabyteHeaderIsRefusedAtTheDefaultLimitNotAfterBufferingIt() throws Exception {
        Limits limits = new Limits();
        assertThat(limits.getMaxHeaderSectionSize()).isEqualTo(64 * 1024);
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: ");
            // 64 KiB and a bit of the 1 MB value: the rest is never sent, so the answer proves the
            // server refused at the limit instead of waiting for (and buffering) the whole field
            byte[] part = "b".repeat(4096).getBytes();
            for (int sent = 0; sent < 64 * 1024 + 8 * 1024; sent += part.length) {
                c.send(part);
            }
            c.socket().setSoTimeout(5000);
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(431);
            assertNoInternals(r);
            c.assertClosed();
        }
    }

    @Test
    void tooManyHeaderFieldsAreAnswered431AndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderCount(10)); WireClient c = f.connect()) {
            StringBuilder request = new StringBuilder("GET /x HTTP/1.1\r\nHost: h\r\n");
            for (int i = 0; i < 10; i++) {
                request.append("X-").append(i).append(": v\r\n");
            }
            c.send(request.append("\r\n").toString());
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(431);
            c.assertClosed();
        }
    }

    @Test
    void exactlyTheMaximumNumberOfHeaderFieldsIsServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderCount(10)); WireClient c = f.connect()) {
            StringBuilder request = new StringBuilder("GET /x HTTP/1.1\r\nHost: h\r\n");
            for (int i = 0; i < 9; i++) {
                request.append("X-").append(i).append(": v\r\n");
            }
            c.send(request.append("\r\n").toString());
            assertThat(c.read().status()).isEqualTo(200);
            c.assertOpen();
        }
    }

    @Test
    void declaredContentLengthOverTheLimitIsAnswered413BeforeTheBodyAndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); WireClient c = f.connect()) {
            // only the head: the answer must not wait for the body
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n");
            assertRejectedAndClosed(c, 413);
        }
    }

    @Test
    void bodyExactlyAtTheLimitIsServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(10)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /x body=0123456789");
            c.assertOpen();
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIsAnswered413AndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "258\r\n" + "c".repeat(600) + "\r\n";
            c.send(chunk + chunk);
            // the body is not finished: the answer must come without its end
            assertRejectedAndClosed(c, 413);
        }
    }

    @Test
    void chunkedBodyExactlyAtTheLimitIsServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(10)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /x body=0123456789");
            c.assertOpen();
        }
    }

    @Test
    void slowlorisHeadersGet408ThenClose() throws Exception {
        Limits limits = new Limits().setHeaderTimeout(Duration.ofMillis(300));
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            AtomicBoolean answered = new AtomicBoolean();
            byte[] head = "GET /x HTTP/1.1\r\nHost: h\r\nX-Slow: ".getBytes();
            // one byte every 100 ms, as a slowloris client does; never ends the header section
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; !answered.get() && i < 100; i++) {
                        c.send(new byte[] {i < head.length ? head[i] : (byte) 'z'});
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed: expected
                }
            });
            long start = System.nanoTime();
            c.socket().setSoTimeout(5000);
            WireClient.Response r = c.read();
            answered.set(true);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.hasToken("Connection", "close")).isTrue();
            assertThat(ms).as("ms until the 408").isBetween(200L, 3000L);
            assertNoInternals(r);
            c.assertClosed();
            trickle.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Limits limits = new Limits().setIdleTimeout(Duration.ofMillis(300));
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.hasToken("Connection", "close")).isFalse();
            long start = System.nanoTime();
            assertThat(c.closedWithin(5000)).isTrue();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the idle close").isBetween(200L, 3000L);
        }
    }

    @Test
    void connectionThatNeverSendsAByteIsClosedAfterTheIdleTimeoutWithoutAResponse() throws Exception {
        Limits limits = new Limits().setIdleTimeout(Duration.ofMillis(300)).setHeaderTimeout(Duration.ofSeconds(30));
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            long start = System.nanoTime();
            assertThat(c.socket().getInputStream().readNBytes(1)).as("bytes before the close").isEmpty();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the idle close").isBetween(200L, 3000L);
        }
    }

    @Test
    void bodyArrivingTooSlowlyGets408ThenClose() throws Exception {
        Limits limits = new Limits().setBodyReadTimeout(Duration.ofMillis(300));
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
            long start = System.nanoTime();
            WireClient.Response r = c.read();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.hasToken("Connection", "close")).isTrue();
            assertThat(ms).as("ms until the 408").isBetween(200L, 3000L);
            c.assertClosed();
        }
    }

    @Test
    void trailerSectionOverTheHeaderLimitIsAnswered431AndClosed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderSectionSize(1024)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Big: "
                    + "t".repeat(2000) + "\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(431);
            c.assertClosed();
        }
    }

    @Test
    void oversizedBodyWithExpectContinueGets413WithoutA100() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
            assertRejectedAndClosed(c, 413);
        }
    }

    @Test
    void idleTimeoutDoesNotCutAConnectionThatKeepsSendingRequests() throws Exception {
        Limits limits = new Limits().setIdleTimeout(Duration.ofMillis(500));
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < end) {
                c.assertOpen();
            }
        }
    }

    @Test
    void defaultLimitsAreSane() {
        Limits d = new Limits();
        assertThat(d.getMaxRequestLineLength()).isBetween(4 * 1024, 64 * 1024);
        assertThat(d.getMaxHeaderSectionSize()).isBetween(8 * 1024, 1024 * 1024);
        assertThat(d.getMaxHeaderCount()).isBetween(50, 1000);
        assertThat(d.getMaxRequestBodySize()).isBetween(1024L * 1024, 1024L * 1024 * 1024);
        assertThat(d.getMaxDrainedBodySize()).isBetween(0L, 1024L * 1024);
        assertThat(d.getHeaderTimeout()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(120));
        assertThat(d.getIdleTimeout()).isBetween(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(d.getBodyReadTimeout()).isBetween(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(d.getShutdownTimeout()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertThat(d.getTlsHandshakeTimeout()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    @Test
    void limitsRejectNonPositiveValues() {
        Limits l = new Limits();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setMaxRequestLineLength(0));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setMaxHeaderSectionSize(-1));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setMaxHeaderCount(0));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setMaxRequestBodySize(0));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setHeaderTimeout(Duration.ZERO));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> l.setIdleTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void serverTakesACopyOfItsLimits() throws Exception {
        Limits limits = new Limits().setMaxRequestLineLength(100);
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            limits.setMaxRequestLineLength(10_000);
            c.send("GET " + target(200) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(414);
        }
    }
}
