package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static dev.ladle.server.EngineFixture.assertServesAnother;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.server.ProtocolClient.Request;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 2: a handler leaves with a {@link StatusException} and the pipeline answers with its
 * status and its reason as a plain-text body, over HTTP/1.1 and HTTP/2, from a normal handler and from
 * an early one (which then keeps the body from being read and the normal handler from running). It is a
 * verdict, not a failure: no 500, no warning in the log, and the connection goes on.
 */
class StatusExceptionPipelineTest {
    private EngineFixture fixture;
    private final AtomicInteger normalRuns = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        fixture = EngineFixture.start(new Limits(), s -> {
            s.addHandler("/conflict", (srv, m, p, q) -> {
                throw new StatusException(Status.CONFLICT, "order 7 was already paid");
            });
            s.addHandler("/method", (srv, m, p, q) -> {
                m.getResponseHeaders().append("Allow", "GET");
                m.setResponse("application/json", "{\"half\":".getBytes(StandardCharsets.UTF_8));
                m.setStatus(200);
                throw new StatusException(Status.METHOD_NOT_ALLOWED);
            });
            s.addEarlyHandler("/early", (srv, m, p, q) -> {
                if (m.getRequestHeaders().getOne("X-Token") == null) {
                    throw new StatusException(Status.FORBIDDEN, "an X-Token is needed");
                }
            });
            s.addHandler("/early", (srv, m, p, q) -> {
                normalRuns.incrementAndGet();
                m.setResponse("text/plain", "in".getBytes(StandardCharsets.UTF_8));
                m.setStatus(200);
            });
            s.addHandler("/paused", (srv, m, p, q) -> {
                m.pause();
                throw new StatusException(Status.TOO_MANY_REQUESTS, "come back later");
            });
            s.addHandler("/streamed", (srv, m, p, q) -> {
                m.setStatus(200);
                OutputStream out = m.getResponseBodyStream();
                out.write("partial".getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new StatusException(Status.BAD_REQUEST, "too late");
            });
        });
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @BothProtocols
    void statusExceptionFromANormalHandlerIsAnsweredWithItsStatusAndReasonAsPlainText(Protocol protocol) throws Exception {
        try (ProtocolClient c = fixture.connect(protocol)) {
            ProtocolClient.Response r = c.get("/conflict");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.one("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.bodyText()).isEqualTo("order 7 was already paid\n");
            assertNoInternals(r);
            assertServesAnother(c);
        }
    }

    @BothProtocols
    void statusExceptionKeepsTheHandlersOtherHeadersButNotItsBody(Protocol protocol) throws Exception {
        try (ProtocolClient c = fixture.connect(protocol)) {
            ProtocolClient.Response r = c.get("/method");
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.one("Allow")).isEqualTo("GET");
            assertThat(r.one("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.bodyText()).isEqualTo("Method Not Allowed\n");
        }
    }

    @BothProtocols
    void statusExceptionFromAPausedHandlerIsAnsweredWithoutAnUnpause(Protocol protocol) throws Exception {
        try (ProtocolClient c = fixture.connect(protocol)) {
            ProtocolClient.Response r = c.get("/paused");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.bodyText()).isEqualTo("come back later\n");
            assertServesAnother(c);
        }
    }

    @BothProtocols
    void statusExceptionFromAnEarlyHandlerAnswersBeforeTheBodyAndSkipsTheHandler(Protocol protocol) throws Exception {
        try (ProtocolClient c = fixture.connect(protocol)) {
            ProtocolClient.Response r = c.sendExpectingContinue(Request.of("POST", "/early").body("never read"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.informational()).as("no 100 Continue before the refusal").isEmpty();
            assertThat(r.bodyText()).isEqualTo("an X-Token is needed\n");
        }
        // HTTP/1.1 closes after refusing a body the client may still send, so the next request gets its own connection
        try (ProtocolClient c = fixture.connect(protocol)) {
            assertThat(c.get("/early", "X-Token: t").bodyText()).isEqualTo("in");
        }
        assertThat(normalRuns.get()).as("the normal handler ran only for the request the early one let in").isEqualTo(1);
    }

    @Test
    void statusExceptionIsNotLoggedAsAHandlerFailure() throws Exception {
        try (LogCapture log = new LogCapture("dev.ladle.server.internal.RequestPipeline");
             ProtocolClient c = fixture.connect(Protocol.HTTP_1_1)) {
            assertThat(c.get("/conflict").status()).isEqualTo(409);
            assertThat(c.get("/throw").status()).as("a real failure is still logged").isEqualTo(500);
            assertThat(log.records()).hasSize(1);
            assertThat(log.text()).doesNotContain("StatusException").contains(EngineFixture.SECRET);
        }
    }

    @Test
    void statusExceptionAfterTheHeadWentOutCutsTheResponseLikeAnyFailure() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.get("/streamed");
            WireClient.Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(new String(c.readChunk(), StandardCharsets.UTF_8)).isEqualTo("partial");
            // nothing more: no last chunk, no reason, no second head
            assertThat(c.socket().getInputStream().readAllBytes()).isEmpty();
        }
    }
}
