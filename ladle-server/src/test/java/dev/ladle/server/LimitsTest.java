package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static dev.ladle.server.EngineFixture.assertRejected;
import static dev.ladle.server.EngineFixture.assertRejectedAndClosed;
import static dev.ladle.server.EngineFixture.assertServesAnother;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link Limits} the engine enforces (issue 2, item 7): each over-limit request gets its status and
 * the end of its exchange (HTTP/1.1: a close; HTTP/2: the stream's end or reset), checked while reading
 * rather than after buffering; each limit has a sane default. The request line, the slowloris header
 * timeout, the silent connection and chunked trailers are HTTP/1.1 matters.
 */
class LimitsTest {
    /** The timeout the timing tests configure: far below every default (30 s and more). */
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /**
     * A timeout must not act before this. Each clock starts before the client does what starts the
     * server's, so the time measured is never shorter than the server's.
     */
    private static final long NOT_BEFORE_MS = 200;
    /**
     * ... and must act by this: what the bound catches is a timeout not applied (then a default of 30 s
     * or more, or never), not a loaded machine that answers seconds late. The clients wait as long.
     */
    private static final int NOT_LATER_THAN_MS = 10_000;

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

    @BothProtocols
    void headerSectionOverTheLimitIsAnswered431AndEndsTheExchange(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderSectionSize(1024));
                ProtocolClient c = f.connect(protocol)) {
            c.send(Request.get("/x").header("X-Big", "b".repeat(2000)));
            assertRejected(c, 431, false);
        }
    }

    @BothProtocols
    void headerSectionJustUnderTheLimitIsServed(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderSectionSize(1024));
                ProtocolClient c = f.connect(protocol)) {
            // HTTP/1.1 counts the bytes of the header section; HTTP/2 the header list size of RFC 9113
            // section 6.5.2: name + value + 32 per field, pseudo-header fields included
            int value = protocol == Protocol.HTTP_1_1 ? 900
                    : 1024 - 1 - listSize(":method", "GET", ":scheme", "http", ":authority", f.uri.getAuthority(),
                            ":path", "/x", "x-big", "");
            c.send(Request.get("/x").header("X-Big", "b".repeat(value)));
            assertThat(c.read().status()).isEqualTo(200);
            assertServesAnother(c);
        }
    }

    /** The HTTP/2 header list size of these name/value pairs (RFC 9113 section 6.5.2). */
    private static int listSize(String... nameValues) {
        int size = 0;
        for (int i = 0; i < nameValues.length; i += 2) {
            size += nameValues[i].length() + nameValues[i + 1].length() + 32;
        }
        return size;
    }

    @BothProtocols
    void oneMegabyteHeaderIsRefusedAtTheDefaultLimitNotAfterBufferingIt(Protocol protocol) throws Exception {
        Limits limits = new Limits();
        assertThat(limits.getMaxHeaderSectionSize()).isEqualTo(64 * 1024);
        if (protocol == Protocol.HTTP_2) {
            try (EngineFixture f = EngineFixture.start(limits); Http2Client c = (Http2Client) f.connect(protocol)) {
                // HTTP/2 answers a field block only once it is complete (HPACK state is per connection), so a
                // block that outgrows the limit while still arriving ends the connection (GOAWAY); a fraction
                // of the 1 MB block is sent, the server must not wait for the rest
                c.sendUnfinishedHead(Request.get("/x").header("X-Big", "b".repeat(1_000_000)), 96 * 1024);
                assertThat(c.endedByServer(5000)).isTrue();
            }
            return;
        }
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

    /** A GET with {@code count} fields besides the authority (HTTP/1.1's Host, HTTP/2's :authority). */
    private static Request withFields(int count) {
        Request request = Request.get("/x");
        for (int i = 0; i < count; i++) {
            request = request.header("X-" + i, "v");
        }
        return request;
    }

    @BothProtocols
    void tooManyHeaderFieldsAreAnswered431AndEndTheExchange(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderCount(10)); ProtocolClient c = f.connect(protocol)) {
            c.send(withFields(10));
            assertRejected(c, 431, false);
        }
    }

    @BothProtocols
    void exactlyTheMaximumNumberOfHeaderFieldsIsServed(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxHeaderCount(10)); ProtocolClient c = f.connect(protocol)) {
            c.send(withFields(9));
            assertThat(c.read().status()).isEqualTo(200);
            assertServesAnother(c);
        }
    }

    @BothProtocols
    void declaredContentLengthOverTheLimitIsAnswered413BeforeTheBody(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); ProtocolClient c = f.connect(protocol)) {
            // only the head: the answer must not wait for the body
            c.sendHead(Request.of("POST", "/x").header("Content-Length", "1001"));
            assertRejected(c, 413, true);
        }
    }

    @BothProtocols
    void the413ForAKeptBodyNamesTheWaysToStreamIt(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); ProtocolClient c = f.connect(protocol)) {
            c.sendHead(Request.of("POST", "/x").header("Content-Length", "1001"));
            Response declared = assertRejected(c, 413, true);
            assertThat(declared.header("Content-Type")).startsWith("text/plain");
            assertThat(declared.bodyText()).contains("larger than 1000 bytes")
                    .contains("streaming").contains("early handler").contains("getRequestBodyStream()");
        }
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); ProtocolClient c = f.connect(protocol)) {
            c.sendHead(Request.of("POST", "/x")).sendBody("c".repeat(600)).sendBody("c".repeat(600));
            Response grown = assertRejected(c, 413, true);
            assertThat(grown.bodyText()).contains("larger than 1000 bytes").contains("getRequestBodyStream()");
        }
    }

    @BothProtocols
    void bodyExactlyAtTheLimitIsServed(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(10)); ProtocolClient c = f.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/x").body("0123456789")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /x body=0123456789");
            assertServesAnother(c);
        }
    }

    @BothProtocols
    void bodyWithoutLengthGrowingOverTheLimitIsAnswered413(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); ProtocolClient c = f.connect(protocol)) {
            // no length: chunked over HTTP/1.1, DATA frames over HTTP/2
            c.sendHead(Request.of("POST", "/x"));
            c.sendBody("c".repeat(600)).sendBody("c".repeat(600));
            // the body is not finished: the answer must come without its end
            assertRejected(c, 413, true);
        }
    }

    @BothProtocols
    void bodyWithoutLengthExactlyAtTheLimitIsServed(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(10)); ProtocolClient c = f.connect(protocol)) {
            Response r = c.sendHead(Request.of("POST", "/x")).sendBody("01234").sendBody("56789").endBody().read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /x body=0123456789");
            assertServesAnother(c);
        }
    }

    @Test
    void slowlorisHeadersGet408ThenClose() throws Exception {
        Limits limits = new Limits().setHeaderTimeout(TIMEOUT);
        try (EngineFixture f = EngineFixture.start(limits); WireClient c = f.connect()) {
            AtomicBoolean answered = new AtomicBoolean();
            byte[] head = "GET /x HTTP/1.1\r\nHost: h\r\nX-Slow: ".getBytes();
            long start = System.nanoTime();
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
            c.socket().setSoTimeout(NOT_LATER_THAN_MS);
            WireClient.Response r = c.read();
            answered.set(true);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.hasToken("Connection", "close")).isTrue();
            assertThat(ms).as("ms until the 408").isBetween(NOT_BEFORE_MS, (long) NOT_LATER_THAN_MS);
            assertNoInternals(r);
            c.assertClosed();
            trickle.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unfinishedHeaderBlockEndsTheConnectionAfterTheHeaderTimeoutOverHttp2() throws Exception {
        Limits limits = new Limits().setHeaderTimeout(TIMEOUT);
        try (EngineFixture f = EngineFixture.start(limits); Http2Client c = (Http2Client) f.connect(Protocol.HTTP_2)) {
            long start = System.nanoTime();
            // HTTP/2's slowloris: the first part of a field block, then nothing; a block in progress cannot
            // be answered 408 (HPACK state is per connection), so the connection must end
            c.sendUnfinishedHead(Request.get("/x").header("X-Slow", "z".repeat(40_000)), 20_000);
            assertThat(c.endedByServer(NOT_LATER_THAN_MS)).isTrue();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the end").isBetween(NOT_BEFORE_MS, (long) NOT_LATER_THAN_MS);
        }
    }

    @BothProtocols
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout(Protocol protocol) throws Exception {
        Limits limits = new Limits().setIdleTimeout(TIMEOUT);
        try (EngineFixture f = EngineFixture.start(limits); ProtocolClient c = f.connect(protocol)) {
            // before the request: the server's idle clock starts once its response is written
            long start = System.nanoTime();
            Response r = c.get("/x");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.hasToken("Connection", "close")).isFalse();
            // HTTP/1.1: the connection closes; HTTP/2: GOAWAY, then the close
            assertThat(c.endedByServer(NOT_LATER_THAN_MS)).isTrue();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the idle close").isBetween(NOT_BEFORE_MS, (long) NOT_LATER_THAN_MS);
        }
    }

    @Test
    void connectionThatNeverSendsAByteIsClosedAfterTheIdleTimeoutWithoutAResponse() throws Exception {
        Limits limits = new Limits().setIdleTimeout(TIMEOUT).setHeaderTimeout(Duration.ofSeconds(30));
        try (EngineFixture f = EngineFixture.start(limits)) {
            // before the connect: the server's idle clock starts once it accepted
            long start = System.nanoTime();
            try (WireClient c = f.connect()) {
                c.socket().setSoTimeout(NOT_LATER_THAN_MS);
                assertThat(c.socket().getInputStream().readNBytes(1)).as("bytes before the close").isEmpty();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the idle close").isBetween(NOT_BEFORE_MS, (long) NOT_LATER_THAN_MS);
        }
    }

    @BothProtocols
    void bodyArrivingTooSlowlyGets408AndEndsTheExchange(Protocol protocol) throws Exception {
        Limits limits = new Limits().setBodyReadTimeout(TIMEOUT);
        try (EngineFixture f = EngineFixture.start(limits); ProtocolClient c = f.connect(protocol)) {
            long start = System.nanoTime();
            c.sendHead(Request.of("POST", "/x").header("Content-Length", "10")).sendBody("01234");
            // the 408 and the end of the exchange; on HTTP/2 also the probe that the connection serves on
            Response r = assertRejected(c, 408, true);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the 408 and the end").isBetween(NOT_BEFORE_MS, (long) NOT_LATER_THAN_MS);
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

    @BothProtocols
    void oversizedBodyWithExpectContinueGets413WithoutA100(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); ProtocolClient c = f.connect(protocol)) {
            c.sendHead(Request.of("POST", "/x").header("Content-Length", "5000").header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(413);
            assertThat(assertRejected(c, 413, true).informational()).isEmpty();
        }
    }

    @BothProtocols
    void idleTimeoutDoesNotCutAConnectionThatKeepsSendingRequests(Protocol protocol) throws Exception {
        // a second between two requests only on a machine stalled that long, far more than a loaded one is
        Limits limits = new Limits().setIdleTimeout(Duration.ofSeconds(1));
        try (EngineFixture f = EngineFixture.start(limits); ProtocolClient c = f.connect(protocol)) {
            // the connection lives three idle timeouts
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                assertServesAnother(c);
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
