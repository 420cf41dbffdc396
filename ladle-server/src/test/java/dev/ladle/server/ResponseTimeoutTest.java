package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertRejected;
import static dev.ladle.server.EngineFixture.assertServesAnother;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2, {@link Limits#getResponseTimeout()}: a handler that does not answer in time gets its
 * client a 503 with {@code Retry-After} written by the server itself, its thread interrupted, and its
 * exchange ended (HTTP/1.1: the connection; HTTP/2: only the stream). A paused message counts as
 * waiting; a written response head, or a handler consuming its upload, stops or restarts the clock.
 */
class ResponseTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void theResponseTimeoutIsOffByDefault() {
        assertThat(new Limits().getResponseTimeout()).isZero();
    }

    /**
     * A handler that waits for {@code release} and ignores interrupts (noting them in {@code interrupted}),
     * so that the 503 can only come from the server.
     */
    private static ServerCallback stuck(CountDownLatch release, CountDownLatch interrupted) {
        return (server, msg, path, query) -> {
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
            msg.setResponse("text/plain", "too late".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        };
    }

    @BothProtocols
    void aHandlerThatNeverAnswersGets503AndItsThreadInterrupted(Protocol protocol) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        Limits limits = new Limits().setResponseTimeout(TIMEOUT).setRetryAfter(Duration.ofSeconds(2));
        try (EngineFixture f = EngineFixture.start(limits, s -> {
            s.addHandler("/stuck", stuck(release, interrupted));
            s.onRequestAborted(msg -> aborted.countDown());
        }); ProtocolClient c = f.connect(protocol)) {
            long start = System.nanoTime();
            c.send(Request.get("/stuck"));
            // HTTP/1.1: Connection: close and the close; HTTP/2: the connection serves the next stream
            Response r = assertRejected(c, 503, false);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(r.one("Retry-After")).isEqualTo("2");
            assertThat(r.bodyText()).contains("no response in time");
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("handler thread interrupted").isTrue();
            assertThat(f.server.getStatistics().getResponseTimeouts()).isEqualTo(1);
            // once the handler is back, what it set goes nowhere and the exchange counts as aborted
            release.countDown();
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("request aborted").isTrue();
        }
    }

    @BothProtocols
    void aHandlerThatReturnsWithoutAStatusAfterTheTimeoutIsNotWarnedAboutA500(Protocol protocol) throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        try (LogCapture log = new LogCapture("dev.ladle", "WARNING");
                EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(TIMEOUT), s -> {
                    s.addHandler("/slow", (srv, msg, path, query) -> {
                        try {
                            Thread.sleep(Duration.ofMinutes(1));
                        } catch (InterruptedException e) {
                            return; // the server answered 503; nothing left to set
                        }
                        msg.setStatus(200);
                    });
                    s.onRequestAborted(msg -> aborted.countDown());
                });
                ProtocolClient c = f.connect(protocol)) {
            c.send(Request.get("/slow"));
            assertRejected(c, 503, false);
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("the handler returned").isTrue();
            // the client got the timeout's 503, not a 500: a warning saying so would mislead
            assertThat(log.text()).contains("no response to GET /slow").doesNotContain("without setting a status");
        }
    }

    @BothProtocols
    void aMessagePausedAndNeverUnpausedGets503(Protocol protocol) throws Exception {
        AtomicReference<ServerMessage> paused = new AtomicReference<>();
        CountDownLatch aborted = new CountDownLatch(1);
        try (EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(TIMEOUT), s -> {
            s.addHandler("/paused", (srv, msg, path, query) -> {
                paused.set(msg);
                msg.pause();
            });
            s.onRequestAborted(msg -> aborted.countDown());
        }); ProtocolClient c = f.connect(protocol)) {
            c.send(Request.get("/paused"));
            Response r = assertRejected(c, 503, false);
            assertThat(r.one("Retry-After")).isEqualTo("1");
            assertThat(aborted.await(10, TimeUnit.SECONDS)).as("the paused wait ended").isTrue();
            // the application's late answer is harmless
            paused.get().setStatus(200);
            paused.get().unpause();
            assertThat(f.server.getStatistics().getResponseTimeouts()).isEqualTo(1);
        }
    }

    @BothProtocols
    void aHandlerThatAnswersInTimeIsNotAffected(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(TIMEOUT)); ProtocolClient c = f.connect(protocol)) {
            for (int i = 0; i < 3; i++) {
                assertServesAnother(c);
            }
            assertThat(f.server.getStatistics().getResponseTimeouts()).isZero();
        }
    }

    @BothProtocols
    void aWrittenResponseHeadStopsTheClock(Protocol protocol) throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        try (EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(TIMEOUT), s -> s.addHandler("/slow",
                (srv, msg, path, query) -> {
                    msg.setStatus(200);
                    msg.getResponseHeaders().replace("Content-Type", "text/plain");
                    try (OutputStream out = msg.getResponseBodyStream()) {
                        out.write("first ".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        // the test lets the handler finish only after several timeouts' worth of time
                        finish.await(30, TimeUnit.SECONDS);
                        out.write("last".getBytes(StandardCharsets.UTF_8));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted although the head was written", e);
                    }
                })); ProtocolClient c = f.connect(protocol)) {
            c.send(Request.get("/slow"));
            assertThat(c.readHead().status()).isEqualTo(200);
            Thread.sleep(TIMEOUT.multipliedBy(3).toMillis()); // let the clock run past the timeout: nothing may happen
            finish.countDown();
            StringBuilder body = new StringBuilder();
            byte[] piece;
            while ((piece = c.readBodyPiece()) != null) {
                body.append(new String(piece, StandardCharsets.UTF_8));
            }
            assertThat(body.toString()).isEqualTo("first last");
            assertThat(f.server.getStatistics().getResponseTimeouts()).isZero();
        }
    }

    @Test
    void aHandlerConsumingALongUploadIsNotCut() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(Duration.ofMillis(500)), s -> s.addEarlyHandler("/upload",
                (srv, msg, path, query) -> {
                    try (InputStream in = msg.getRequestBodyStream()) {
                        long n = in.transferTo(OutputStream.nullOutputStream());
                        msg.setResponse("text/plain", Long.toString(n).getBytes(StandardCharsets.UTF_8));
                    }
                    msg.setStatus(200);
                })); WireClient c = f.connect()) {
            c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n");
            // one byte every 100 ms: more than twice the timeout in all, but never a timeout without progress
            for (int i = 0; i < 12; i++) {
                Thread.sleep(100); // pacing the upload, not waiting for an event
                c.send("x");
            }
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("12");
            assertThat(f.server.getStatistics().getResponseTimeouts()).isZero();
        }
    }

    @Test
    void aConnectionStolenByItsHandlerIsNotAnsweredByTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (EngineFixture f = EngineFixture.start(new Limits().setResponseTimeout(TIMEOUT), s -> s.addHandler("/steal",
                (srv, msg, path, query) -> {
                    // a tunnel pumping data inside its handler: the connection is no longer the server's
                    StolenConnection stolen = msg.stealConnection();
                    release.await(30, TimeUnit.SECONDS);
                    stolen.output().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nstolen"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    stolen.close();
                })); WireClient c = f.connect()) {
            c.get("/steal");
            Thread.sleep(TIMEOUT.multipliedBy(3).toMillis()); // let the clock run past the timeout: nothing may happen
            release.countDown();
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("stolen");
            assertThat(f.server.getStatistics().getResponseTimeouts()).isZero();
        }
    }

    @Test
    void theResponseTimeoutMustNotBeNegative() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new Limits().setResponseTimeout(Duration.ofMillis(-1)));
    }
}
