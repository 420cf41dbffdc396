package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.auth.AuthDomain;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's processing order (issue 2 item 4), step by step, with its events. */
class ProcessingOrderTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
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
            msg.onGotHeaders(() -> log.add("gotHeaders"));
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
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        return log;
    }

    @Test
    void normalRequestWalksEveryStepInOrder() throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early"));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler " + new String(m.getRequestBody().flatten()));
            m.setResponse("text/plain", "ok".getBytes());
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            assertThat(c.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody").read().status()).isEqualTo(200);
        }
        assertThat(awaitLog()).containsExactly("started", "gotHeaders", "auth", "early", "gotBody", "read",
                "handler body", "wroteHeaders", "wroteBody", "msgFinished", "finished 200");
    }

    @Test
    void authRefusalSkipsEarlyAndNormalHandlers() throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early"));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler");
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET /secret HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("X-User realm=\"test\"");
        }
        assertThat(awaitLog()).doesNotContain("early", "handler").contains("read", "finished 401");
    }

    @Test
    void acceptedUserIsRecordedAndEarlyHandlersStillRun() throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> log.add("early " + m.getAuthUser()));
        server.addHandler("/", (s, m, p, q) -> {
            log.add("handler " + m.getAuthUser());
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            assertThat(c.send("GET /secret HTTP/1.1\r\nHost: t\r\nX-User: ann\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(awaitLog()).contains("early ann", "handler ann");
    }

    @Test
    void earlyHandlerStatusSkipsTheNormalHandler() throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> m.setStatus(403));
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc").read();
            assertThat(r.status()).isEqualTo(403);
            // the small body was read away: the connection stays usable
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(403);
        }
        assertThat(log).doesNotContain("handler");
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsRead() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", m.getRequestBody().flatten());
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            c.send("PUT / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            WireClient.Response interim = c.read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            c.send("hello");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(r.header("Date")).isNotNull();
            assertThat(r.header("Server")).startsWith("ladle/");
        }
        assertThat(awaitLog()).containsSubsequence("gotHeaders", "wroteInformational", "gotBody", "wroteHeaders");
    }

    @Test
    void expectContinueRefusedByAuthSkipsTheBodyAndClosesTheConnection() throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (WireClient c = new WireClient(base)) {
            c.send("POST /secret HTTP/1.1\r\nHost: t\r\nContent-Length: 34\r\nExpect: 100-continue\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("Connection")).isEqualTo("close");
            // the body sent anyway is never parsed as a request (libsoup's smuggling hole)
            c.send("GET /pwned HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.closedWithin(3000)).isTrue();
        }
        assertThat(awaitLog()).doesNotContain("wroteInformational");
    }

    @Test
    void expectContinueRefusedByEarlyHandlerWithoutBodyKeepsTheConnection() throws Exception {
        server.addEarlyHandler("/", (s, m, p, q) -> m.setStatus(413));
        try (WireClient c = new WireClient(base)) {
            c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(413);
        }
    }

    @Test
    void unknownExpectationGives417AndClose() throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(417);
            assertThat(c.closedWithin(3000)).isTrue();
        }
    }

    @Test
    void handlerThatSetsNoStatusGives500AsAFinishedRequest() throws Exception {
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(500);
        }
        assertThat(awaitLog()).contains("finished 500").doesNotContain("aborted");
    }

    @Test
    void pausedMessageIsAnsweredWhenUnpausedFromAnotherThread() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.pause();
            Thread.ofVirtual().start(() -> {
                m.setResponse("text/plain", "later".getBytes());
                m.setStatus(200);
                m.unpause();
            });
        });
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("later");
        }
    }

    @Test
    void requestReadListenerCanSetAStatusThatSkipsTheHandler() throws Exception {
        server.onRequestRead(m -> m.setStatus(418));
        server.addHandler("/", (s, m, p, q) -> log.add("handler"));
        try (WireClient c = new WireClient(base)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(418);
        }
        assertThat(log).doesNotContain("handler");
    }

    @Test
    void clientLeavingMidBodyAbortsTheRequest() throws Exception {
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (WireClient c = new WireClient(base)) {
            c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nshort");
        }
        assertThat(awaitLog()).contains("aborted").doesNotContain("read");
    }

    @Test
    void subscriptionCloseRemovesTheListener() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Subscription sub = server.onRequestFinished(m -> {
            seen.add(m.getUri().getPath());
            first.countDown();
        });
        server.addHandler("/", (s, m, p, q) -> m.setStatus(200));
        try (WireClient c = new WireClient(base)) {
            c.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            sub.close();
            c.send("GET /two HTTP/1.1\r\nHost: t\r\n\r\n").read();
        }
        assertThat(seen).containsExactly("/one");
    }
}
