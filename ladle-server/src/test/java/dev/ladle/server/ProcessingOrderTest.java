package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.auth.AuthDomain;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The seed's processing order (issue 2 item 4), step by step, with its events, over HTTP/1.1 and HTTP/2. */
class ProcessingOrderTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch gotHeaders = new CountDownLatch(1);
    private Server server;
    private URI base;

    /** A server that records its protected event methods, as a subclass would. */
    private final class RecordingServer extends Server {
        @Override
        protected void requestStarted(ServerMessage msg) {
            log.add("started");
            super.requestStarted(msg);
        }

        @Override
        protected void requestRead(ServerMessage msg) {
            log.add("read");
            super.requestRead(msg);
        }

        @Override
        protected void requestFinished(ServerMessage msg) {
            log.add("finished " + msg.getStatus());
            super.requestFinished(msg);
            done.countDown();
        }

        @Override
        protected void requestAborted(ServerMessage msg) {
            log.add("aborted");
            super.requestAborted(msg);
            done.countDown();
        }
    }

    /** An auth domain covering {@code /secret} that accepts the header {@code X-User}. */
    private final class HeaderAuthDomain extends AuthDomain {
        HeaderAuthDomain() {
            super("test", false);
        }

        @Override
        public boolean covers(ServerMessage msg) {
            log.add("auth");
            return msg.getUri().getPath().startsWith("/secret");
        }

        @Override
        public String accepts(ServerMessage msg) {
            return msg.getRequestHeaders().getOne("X-User");
        }

        @Override
        public void challenge(ServerMessage msg) {
            msg.getResponseHeaders().append("WWW-Authenticate", "X-User realm=\"test\"");
            msg.setStatus(401);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new RecordingServer();
        server.addAuthDomain(new HeaderAuthDomain());
        server.onRequestStarted(msg -> {
            msg.onGotHeaders(() -> {
                log.add("gotHeaders");
                gotHeaders.countDown();
            });
            msg.onGotBody(() -> log.add("gotBody"));
            msg.onWroteInformational(() -> log.add("wroteInformational"));
            msg.onWroteHeaders(() -> log.add("wroteHeaders"));
            msg.onWroteBody(() -> log.add("wroteBody"));
            msg.onFinished(() -> log.add("msgFinished"));
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> awaitLog() throws InterruptedException {
        assertThat(done.await(5, TimeUnit.SECONDS)).as("request finished or aborted; events so far: %s", log).isTrue();
        return log;
    }

    @BothProtocols
    void normalRequestWalksEveryStepInOrder(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early"));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler " + new String(m.getRequestBody().flatten()));
            m.setResponse("text/plain", "ok".getBytes());
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.of("POST", "/x").body("body")).read().status()).isEqualTo(200);
        }
        assertThat(awaitLog()).containsExactly("started", "gotHeaders", "auth", "early", "gotBody", "read",
                "handler body", "wroteHeaders", "wroteBody", "msgFinished", "finished 200");
    }

    /** A normal handler that reads the request body itself ({@link ServerCallback#streamsRequestBody}). */
    private final class StreamingHandler implements ServerCallback {
        @Override
        public boolean streamsRequestBody(ServerMessage msg, String path) {
            log.add("asked " + path);
            return true;
        }

        @Override
        public void handle(Server server, ServerMessage msg, String path, java.util.Map<String, String> query) throws Exception {
            log.add("handler " + new String(msg.getRequestBodyStream().readAllBytes()));
            msg.setStatus(200);
        }
    }

    @BothProtocols
    void handlerThatStreamsItsBodyIsAskedAfterTheEarlyHandlerAndReadsTheBodyInItsOwnStep(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early"));
        server.addHandler("/", new StreamingHandler());
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.of("POST", "/x").body("body")).read().status()).isEqualTo(200);
        }
        assertThat(awaitLog()).containsExactly("started", "gotHeaders", "auth", "early", "asked /x", "read",
                "gotBody", "handler body", "wroteHeaders", "wroteBody", "msgFinished", "finished 200");
    }

    @BothProtocols
    void handlerIsNotAskedAboutTheBodyOfARequestAlreadyAnswered(Protocol protocol) throws Exception {
        server.addHandler("/", new StreamingHandler());
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.of("POST", "/secret").body("body")).read().status()).isEqualTo(401);
        }
        assertThat(awaitLog()).noneMatch(e -> e.startsWith("asked") || e.startsWith("handler"));
    }

    @BothProtocols
    void authRefusalSkipsEarlyAndNormalHandlers(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early"));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler");
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/secret");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("X-User realm=\"test\"");
        }
        assertThat(awaitLog()).doesNotContain("early", "handler").contains("read", "finished 401");
    }

    @BothProtocols
    void acceptedUserIsRecordedAndEarlyHandlersStillRun(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early " + m.getAuthUser()));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler " + m.getAuthUser());
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/secret", "X-User: ann").status()).isEqualTo(200);
        }
        assertThat(awaitLog()).contains("early ann", "handler ann");
    }

    @BothProtocols
    void earlyHandlerStatusSkipsTheNormalHandler(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> m.setStatus(403));
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.of("POST", "/").body("abc")).read().status()).isEqualTo(403);
            // the small body was read away (HTTP/1.1) or dropped with its stream (HTTP/2): the connection stays usable
            assertThat(c.get("/").status()).isEqualTo(403);
        }
        assertThat(log).doesNotContain("handler");
    }

    @BothProtocols
    void expectContinueIsAnsweredBeforeTheBodyIsRead(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", m.getRequestBody().flatten());
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("PUT", "/").header("Content-Length", "5").header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(100);
            Response r = c.sendBody("hello").endBody().read();
            assertThat(r.informational()).containsExactly(100);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(r.header("Date")).isNotNull();
            assertThat(r.header("Server")).startsWith("ladle/");
            if (protocol == Protocol.HTTP_1_1) {
                assertThat(((Http1Client) c).informationalStatusLines()).containsExactly("HTTP/1.1 100 Continue");
            }
        }
        assertThat(awaitLog()).containsSubsequence("gotHeaders", "wroteInformational", "gotBody", "wroteHeaders");
    }

    @BothProtocols
    void expectContinueRefusedByAuthSkipsTheBodyAndEndsTheExchange(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        String smuggled = "GET /pwned HTTP/1.1\r\nHost: t\r\n\r\n";
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("POST", "/secret").header("Content-Length", Integer.toString(smuggled.length()))
                    .header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(401);
            Response r = c.read();
            assertThat(r.informational()).isEmpty();
            if (protocol == Protocol.HTTP_1_1) {
                assertThat(r.header("Connection")).isEqualTo("close");
                // the body sent anyway is never parsed as a request (libsoup's smuggling hole)
                c.sendBody(smuggled);
            }
            // HTTP/1.1 closes the connection; HTTP/2 resets the stream whose body it will not read
            assertThat(c.endedByServer(3000)).isTrue();
        }
        assertThat(awaitLog()).doesNotContain("wroteInformational");
    }

    @BothProtocols
    void expectContinueRefusedByEarlyHandlerWithoutBodyKeepsTheConnection(Protocol protocol) throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> m.setStatus(413));
        try (ProtocolClient c = protocol.connect(base)) {
            c.send(Request.of("POST", "/").header("Expect", "100-continue").body(""));
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.get("/").status()).isEqualTo(413);
        }
    }

    @BothProtocols
    void unknownExpectationGives417(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/", "Expect: teapot").status()).isEqualTo(417);
            if (protocol == Protocol.HTTP_1_1) {
                // the connection is in an unknown state: HTTP/1.1 closes it
                assertThat(c.endedByServer(3000)).isTrue();
            } else {
                // HTTP/2: the refused request was a whole stream; the connection goes on
                assertThat(c.get("/").status()).isEqualTo(200);
            }
        }
    }

    @BothProtocols
    void handlerThatSetsNoStatusGives500AsAFinishedRequest(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/").status()).isEqualTo(500);
            assertThat(c.get("/").status()).isEqualTo(500);
        }
        assertThat(awaitLog()).contains("finished 500").doesNotContain("aborted");
    }

    @BothProtocols
    void handlerThatSetsNoStatusIsNamedInOneWarningPerHandlerPath(Protocol protocol) throws Exception {
        server.addHandler("/api", (s, m, p, q) -> log.add("handler"));
        server.addHandler("/ok", (s, m, p, q) -> m.setStatus(204));
        try (LogCapture capture = new LogCapture("dev.ladle", "WARNING"); ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/ok").status()).isEqualTo(204);
            assertThat(c.send(Request.of("POST", "/api/items").body("x")).read().status()).isEqualTo(500);
            assertThat(c.get("/api/other").status()).isEqualTo(500);
            List<String> warnings = capture.records().stream()
                    .filter(r -> r.contains("without setting a status")).toList();
            assertThat(warnings).as("once for the path /api, none for /ok").hasSize(1);
            assertThat(warnings.get(0)).startsWith("WARNING: ").contains("handler at /api ")
                    .contains("POST /api/items").contains("500 Internal Server Error");
        }
    }

    @BothProtocols
    void handlerThatFailsGetsItsOwnLogLineNotTheNoStatusWarning(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            throw new IllegalStateException("boom");
        });
        try (LogCapture capture = new LogCapture("dev.ladle", "WARNING"); ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/").status()).isEqualTo(500);
            assertThat(capture.text()).contains("failed").doesNotContain("without setting a status");
        }
    }

    @BothProtocols
    void pausedMessageIsAnsweredWhenUnpausedFromAnotherThread(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.pause();
            Thread.ofVirtual().start(() -> {
                m.setResponse("text/plain", "later".getBytes());
                m.setStatus(200);
                m.unpause();
            });
        });
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("later");
        }
    }

    @BothProtocols
    void requestReadListenerCanSetAStatusThatSkipsTheHandler(Protocol protocol) throws Exception {
        server.onRequestRead(m -> m.setStatus(418));
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/").status()).isEqualTo(418);
        }
        assertThat(log).doesNotContain("handler");
    }

    @BothProtocols
    void clientLeavingMidBodyAbortsTheRequest(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("POST", "/").header("Content-Length", "100")).sendBody("short");
            // leave only once the server has the request: an HTTP/2 client closing with the server's
            // SETTINGS unread sends a TCP reset, and the reset can beat its own HEADERS to the server,
            // which then never saw a request to abort
            assertThat(gotHeaders.await(10, TimeUnit.SECONDS)).as("the server read the request head").isTrue();
            c.cancel();
        }
        assertThat(awaitLog()).contains("aborted").doesNotContain("read");
    }

    @BothProtocols
    void subscriptionCloseRemovesTheListener(Protocol protocol) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Subscription sub = server.onRequestFinished(m -> {
            seen.add(m.getUri().getPath());
            first.countDown();
        });
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (ProtocolClient c = protocol.connect(base)) {
            c.get("/one");
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            sub.close();
            c.get("/two");
        }
        assertThat(seen).containsExactly("/one");
    }
}
