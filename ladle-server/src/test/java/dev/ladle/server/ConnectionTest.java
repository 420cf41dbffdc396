package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static dev.ladle.server.EngineFixture.assertRejectedAndClosed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Persistent connections and message framing (issue 2, item 6), over raw sockets: each test asserts
 * the status and whether the connection stays open.
 */
class ConnectionTest {
    private static final String GET = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";

    @Test
    void http11ConnectionIsPersistentByDefault() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            for (int i = 0; i < 3; i++) {
                c.send(GET);
                WireClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("GET /x");
                assertThat(r.hasToken("Connection", "close")).isFalse();
            }
            c.assertOpen();
        }
    }

    @Test
    void connectionCloseIsHonouredAndEchoed() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("GET /x");
            assertThat(r.hasToken("Connection", "close")).isTrue();
            c.assertClosed();
        }
    }

    @Test
    void connectionCloseAmongOtherTokensIsHonoured() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nConnection: X-Foo, CLOSE\r\nX-Foo: 1\r\n\r\n");
            assertRejectedAndClosed(c, 200);
        }
    }

    @Test
    void requestsPipelinedAfterConnectionCloseAreNotServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("GET /a");
            c.assertClosed();
        }
    }

    @Test
    void anAnswerSentBeforeTheBodyArrivedSurvivesTheBodyArrivingAfterIt() throws Exception {
        // 413 for a declared body over the limit, answered and closed before any of the body arrived; the
        // client goes on sending the body before it reads, as clients that stream a body do: a plain
        // close meets those bytes with a reset, and the client's next write fails, so it never reads
        // the answer (a lingering close half-closes and drains them instead)
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxRequestBodySize(1000)); WireClient c = f.connect()) {
            c.send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n");
            java.io.InputStream in = c.socket().getInputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (in.available() == 0) {
                assertThat(System.nanoTime()).as("the 413 arrived").isLessThan(deadline);
                Thread.sleep(5);
            }
            // the server closes right after its answer; the body comes well inside its 200 ms drain
            Thread.sleep(20);
            c.send(new byte[64 * 1024]);
            // time for a reset to come back (loopback: well under a millisecond), had the server closed
            // plainly: this write would then fail
            Thread.sleep(50);
            c.send(new byte[64 * 1024]);
            assertThat(c.read().status()).isEqualTo(413);
            c.assertClosed();
        }
    }

    @Test
    void connectionCloseSetByTheHandlerClosesTheConnection() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/bye", (srv, msg, path, q) -> {
            msg.getResponseHeaders().append("Connection", "close");
            msg.setResponse("text/plain", "bye".getBytes());
            msg.setStatus(200);
        })); WireClient c = f.connect()) {
            c.send("GET /bye HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("bye");
            assertThat(r.headers("Connection")).containsExactly("close");
            c.assertClosed();
        }
    }

    @Test
    void http10KeepAliveClientGetsACloseDelimitedBodyWhenTheLengthIsUnknown() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/chunks", (srv, msg, path, q) -> {
            msg.getResponseHeaders().setEncoding(dev.ladle.http.Encoding.CHUNKED);
            msg.getResponseBody().append("part1,");
            msg.getResponseBody().append("part2");
            msg.getResponseBody().complete();
            msg.setStatus(200);
        })); WireClient c = f.connect()) {
            c.send("GET /chunks HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.hasToken("Connection", "keep-alive")).isFalse();
            assertThat(r.bodyText()).isEqualTo("part1,part2");
            c.assertClosed();
        }
    }

    @Test
    void http11ClientGetsAChunkedBodyWhenTheLengthIsUnknownAndTheConnectionGoesOn() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/chunks", (srv, msg, path, q) -> {
            msg.getResponseHeaders().setEncoding(dev.ladle.http.Encoding.CHUNKED);
            msg.getResponseBody().append("part1,");
            msg.getResponseBody().append("part2");
            msg.getResponseBody().complete();
            msg.setStatus(200);
        })); WireClient c = f.connect()) {
            c.send("GET /chunks HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("part1,part2");
            c.assertOpen();
        }
    }

    @Test
    void http10ConnectionClosesByDefault() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.statusLine()).startsWith("HTTP/1.");
            assertThat(r.hasToken("Connection", "keep-alive")).isFalse();
            assertThat(r.bodyText()).isEqualTo("GET /x");
            c.assertClosed();
        }
    }

    @Test
    void http10KeepAliveIsHonouredAndAnswered() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                WireClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.hasToken("Connection", "keep-alive")).isTrue();
                assertThat(r.header("Content-Length")).isEqualTo("6");
                assertThat(r.bodyText()).isEqualTo("GET /x");
            }
            c.assertOpen();
        }
    }

    @Test
    void tenPipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                all.append(i % 3 == 1
                        ? "POST /p/" + i + " HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nb=" + i
                        : "GET /p/" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            c.send(all.toString());
            for (int i = 0; i < 10; i++) {
                WireClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo(i % 3 == 1 ? "POST /p/" + i + " body=b=" + i : "GET /p/" + i);
            }
            c.assertOpen();
        }
    }

    @Test
    void pipelinedRequestsCrossingTheReadBufferBoundaryAreAllAnswered() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            StringBuilder all = new StringBuilder();
            int count = 60;
            for (int i = 0; i < count; i++) {
                // ~700 bytes each, so heads and bodies straddle every 8 KiB boundary at some offset
                String pad = "p".repeat(500 + i * 7 % 97);
                String body = "body-" + i + "-" + "b".repeat(i * 13 % 61);
                all.append("POST /q/").append(i).append(" HTTP/1.1\r\nHost: h\r\nX-Pad: ").append(pad)
                        .append("\r\nContent-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            }
            c.send(all.toString());
            for (int i = 0; i < count; i++) {
                WireClient.Response r = c.read();
                assertThat(r.bodyText()).isEqualTo("POST /q/" + i + " body=body-" + i + "-" + "b".repeat(i * 13 % 61));
            }
            c.assertOpen();
        }
    }

    @Test
    void chunkedRequestBodyWithExtensionsAndTrailersReachesTheHandler() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Trailer\r\n\r\n"
                    + "5;name=value\r\nhello\r\n"
                    + "1;flag\r\n \r\n"
                    + "5;q=\"quoted;value\"\r\nworld\r\n"
                    + "0;last=1\r\nX-Trailer: t-value\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("POST /up body=hello world trailer=t-value");
            c.assertOpen();
        }
    }

    @Test
    void chunkedRequestBodySplitAcrossWritesIsReassembled() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            String request = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
            for (int i = 0; i < request.length(); i += 3) {
                c.send(request.substring(i, Math.min(request.length(), i + 3)));
            }
            WireClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("POST /up body=hello world");
            c.assertOpen();
        }
    }

    @Test
    void trailerCannotSmuggleAFramingField() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/cl", (srv, msg, path, q) -> {
            msg.setResponse("text/plain", String.valueOf(msg.getRequestHeaders().getAll("Content-Length")).getBytes());
            msg.setStatus(200);
        })); WireClient c = f.connect()) {
            c.send("POST /cl HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\nContent-Length: 99\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("[]");
            c.assertOpen();
        }
    }

    @Test
    void throwingHandlerGets500LoggedOnceAndTheConnectionGoesOn() throws Exception {
        try (LogCapture log = new LogCapture("dev.ladle.server.internal.RequestPipeline");
             EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.hasToken("Connection", "close")).isFalse();
            assertNoInternals(r);
            c.assertOpen();
            assertThat(log.records()).hasSize(1);
            assertThat(log.text()).contains("IllegalStateException: " + EngineFixture.SECRET);
        }
    }

    @Test
    void throwingHandlerAfterSettingABodyGets500WithoutThatBody() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/half", (srv, msg, path, q) -> {
            msg.setResponse("text/plain", "partial secret".getBytes());
            msg.setStatus(200);
            throw new IllegalArgumentException("late failure");
        })); WireClient c = f.connect()) {
            c.send("GET /half HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).doesNotContain("partial secret").doesNotContain("late failure");
            assertNoInternals(r);
            c.assertOpen();
        }
    }

    @BothProtocols
    void throwingEarlyHandlerGets500AndTheConnectionGoesOn(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.addEarlyHandler("/early", (srv, msg, path, q) -> {
            throw new IllegalStateException(EngineFixture.SECRET);
        })); ProtocolClient c = f.connect(protocol)) {
            ProtocolClient.Response r = c.send(ProtocolClient.Request.of("POST", "/early").body("hello")).read();
            assertThat(r.status()).isEqualTo(500);
            assertNoInternals(r);
            EngineFixture.assertServesAnother(c);
        }
    }

    @Test
    void headToAFailingHandlerGets500WithoutBody() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("HEAD /throw HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.read(true).status()).isEqualTo(500);
            c.assertOpen();
        }
    }

    @Test
    void headGetsTheRealContentLengthAndNoBody() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            // the GET body would be "HEAD /x": 7 bytes
            assertThat(r.header("Content-Length")).isEqualTo("7");
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            // any body byte would corrupt the next status line
            c.assertOpen();
        }
    }

    @Test
    void headPipelinedWithGetKeepsTheFramingInOrder() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(c.read(true).header("Content-Length")).isEqualTo("7");
            assertThat(c.read().bodyText()).isEqualTo("GET /b");
        }
    }

    @Test
    void noContentHasNoBodyAndKeepsTheConnection() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /status/204 HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.hasToken("Connection", "close")).isFalse();
            c.assertOpen();
        }
    }

    @Test
    void notModifiedHasNoBodyAndKeepsTheConnection() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /status/304 HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(304);
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.hasToken("Connection", "close")).isFalse();
            c.assertOpen();
        }
    }

    @Test
    void everyResponseCarriesADate() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /status/204 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /throw HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /x HTTP/1.1\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                WireClient.Response r = c.read();
                assertThat(r.headers("Date")).as(r.statusLine()).hasSize(1);
                assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            }
            c.assertClosed();
        }
    }

    @Test
    void serverHeaderDefaultsToLadleAndTheVersion() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send(GET);
            WireClient.Response r = c.read();
            assertThat(r.headers("Server")).containsExactly("ladle/" + Server.VERSION);
            assertThat(Server.VERSION).isNotBlank();
        }
    }

    @Test
    void serverHeaderIsOnErrorResponsesToo() throws Exception {
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.headers("Server")).containsExactly("ladle/" + Server.VERSION);
        }
    }

    @Test
    void nullServerHeaderRemovesIt() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.setServerHeader(null)); WireClient c = f.connect()) {
            c.send(GET);
            assertThat(c.read().header("Server")).isNull();
            c.send("GET /x HTTP/1.1\r\n\r\n");
            assertThat(c.read().header("Server")).isNull();
        }
    }

    @Test
    void serverHeaderEndingInASpaceGetsTheVersionAppended() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.setServerHeader("acme/2 ")); WireClient c = f.connect()) {
            c.send(GET);
            assertThat(c.read().headers("Server")).containsExactly("acme/2 ladle/" + Server.VERSION);
        }
    }

    @Test
    void serverHeaderWithoutATrailingSpaceIsUsedAsIs() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.setServerHeader("acme/2")); WireClient c = f.connect()) {
            c.send(GET);
            assertThat(c.read().headers("Server")).containsExactly("acme/2");
        }
    }

    @Test
    void bodyCutShortByEofFiresRequestAbortedNotFinished() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> {
            s.onRequestAborted(msg -> aborted.countDown());
            s.onRequestFinished(msg -> finished.incrementAndGet());
            s.addHandler("/upload", (srv, msg, path, q) -> {
                handled.incrementAndGet();
                msg.setStatus(200);
            });
        }); WireClient c = f.connect()) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nonly-twenty-bytes...");
            c.shutdownOutput();
            assertThat(aborted.await(5, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
            assertThat(finished.get()).as("request-finished count").isZero();
            assertThat(handled.get()).as("handler calls").isZero();
            c.assertClosed();
        }
    }

    @Test
    void clientClosingMidHeadersFiresNoFinished() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch aborted = new CountDownLatch(1);
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> {
            s.onRequestAborted(msg -> aborted.countDown());
            s.onRequestFinished(msg -> finished.incrementAndGet());
        }); WireClient c = f.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-Half");
            c.shutdownOutput();
            assertThat(aborted.await(5, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
            assertThat(finished.get()).isZero();
            c.assertClosed();
        }
    }
}
