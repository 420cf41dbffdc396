package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static dev.ladle.server.EngineFixture.assertServesAnother;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 4: a handler that throws. Before anything was sent the client gets a plain 500 and the
 * connection goes on; once the response head went out the response is cut short where it was: HTTP/1.1
 * closes the connection without ending the body (no last chunk, fewer bytes than the Content-Length,
 * never a second head), HTTP/2 resets the stream and serves the connection's next request. Either way
 * the exchange is aborted, not finished.
 */
class HandlerFailureTest {
    private static final String PARTIAL = "partial";

    private EngineFixture fixture;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final CountDownLatch abortedLatch = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        fixture = EngineFixture.start(new Limits(), s -> {
            s.onRequestFinished(m -> finished.incrementAndGet());
            s.onRequestAborted(m -> {
                aborted.incrementAndGet();
                abortedLatch.countDown();
            });
            s.addHandler("/throw-after-chunk", (srv, m, p, q) -> {
                m.setStatus(200);
                OutputStream out = m.getResponseBodyStream();
                out.write(PARTIAL.getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IllegalStateException(EngineFixture.SECRET);
            });
            s.addHandler("/throw-after-length", (srv, m, p, q) -> {
                m.setStatus(200);
                m.getResponseHeaders().setContentLength(100);
                OutputStream out = m.getResponseBodyStream();
                out.write(PARTIAL.getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IllegalStateException(EngineFixture.SECRET);
            });
        });
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @BothProtocols
    void handlerThatThrowsBeforeAnythingWasSentGetsAPlain500AndTheConnectionGoesOn(Protocol protocol) throws Exception {
        try (ProtocolClient c = fixture.connect(protocol)) {
            ProtocolClient.Response r = c.get("/throw");
            assertThat(r.status()).isEqualTo(500);
            assertNoInternals(r);
            assertServesAnother(c);
        }
        // Ladle keeps the seed's meaning: a 500 is a finished request (libsoup reports it as aborted).
        // The event fires once the response is on the wire, so possibly after the client read it.
        DisconnectAtEveryPhaseTest.awaitTrue(() -> finished.get() == 2, "request-finished for the 500 and the probe");
        assertThat(aborted.get()).isZero();
    }

    @Test
    void handlerThatThrowsAfterAChunkGetsTheConnectionClosedWithoutTheLastChunk() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.get("/throw-after-chunk");
            WireClient.Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.hasToken("Transfer-Encoding", "chunked")).isTrue();
            assertThat(new String(c.readChunk(), StandardCharsets.UTF_8)).isEqualTo(PARTIAL);
            // nothing more: no last chunk that would make the cut body look complete, no second head
            assertThat(c.socket().getInputStream().readAllBytes()).isEmpty();
        }
        assertAbortedNotFinished();
    }

    @Test
    void handlerThatThrowsInsideADeclaredLengthGetsTheConnectionClosedShortOfIt() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.get("/throw-after-length");
            WireClient.Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("100");
            byte[] rest = c.socket().getInputStream().readAllBytes();
            assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo(PARTIAL);
        }
        assertAbortedNotFinished();
    }

    @Test
    void handlerThatThrowsAfterDataOverHttp2GetsTheStreamResetAndTheConnectionGoesOn() throws Exception {
        try (Http2Client c = new Http2Client(fixture.uri)) {
            c.send(Request.get("/throw-after-chunk"));
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(new String(c.readBodyPiece(), StandardCharsets.UTF_8)).isEqualTo(PARTIAL);
            assertThat(c.readBodyPiece()).as("no END_STREAM after the cut").isNull();
            assertThat(c.endedByServer(5000)).isTrue();
            assertThat(c.resetCode()).as("RST_STREAM INTERNAL_ERROR").isEqualTo(2);
            assertAbortedNotFinished();
            assertServesAnother(c);
        }
    }

    private void assertAbortedNotFinished() throws InterruptedException {
        assertThat(abortedLatch.await(5, TimeUnit.SECONDS)).as("request-aborted fired").isTrue();
        assertThat(aborted.get()).isEqualTo(1);
        assertThat(finished.get()).isZero();
    }
}
