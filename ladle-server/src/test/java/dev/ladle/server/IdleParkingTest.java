package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertRejectedAndClosed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle connections without threads (issue 16): a plain connection that stays quiet for a moment between
 * requests gives up its thread and buffers and waits in the server's selector; readiness starts a new
 * thread. A parked connection must be served, timed out, closed and counted exactly as one that kept
 * its thread. "Parked" is observed as the absence of the connection's thread in a thread dump.
 */
class IdleParkingTest {
    private static final String CONNECTION_THREAD = "ladle-connection";
    /** Long enough for any number of connections to park, on a busy machine. */
    private static final long PARK_WAIT_MILLIS = 20_000;

    /** Waits until every connection opened since {@code baseline} was taken has given up its thread. */
    private static void awaitParked(int baseline) throws InterruptedException {
        ResourceCounts.awaitThreadsAtMost(CONNECTION_THREAD, baseline, PARK_WAIT_MILLIS);
    }

    @Test
    void keepAliveConnectionServesItsNextRequestAfterParking() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            assertThat(c.get("/first").read().bodyText()).isEqualTo("GET /first");
            awaitParked(baseline);
            assertThat(f.server.getConnectionCount()).isEqualTo(1);
            WireClient.Response r = c.get("/second").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("GET /second");
        }
    }

    @Test
    void pipelinedRequestsReachingAParkedConnectionAreAllAnswered() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.assertOpen();
            awaitParked(baseline);
            c.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\nPOST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz"
                    + "GET /c HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("GET /a");
            assertThat(c.read().bodyText()).isEqualTo("POST /b body=xyz");
            assertThat(c.read().bodyText()).isEqualTo("GET /c");
        }
    }

    @Test
    void requestSplitAroundQuietMomentsIsServedWhole() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            // a pipelined request whose head is cut: the buffered half keeps the connection from parking
            c.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHo");
            assertThat(c.read().bodyText()).isEqualTo("GET /one");
            assertKeepsItsThreadForAWhile(baseline);
            c.send("st: t\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("GET /two");
            awaitParked(baseline);
            // the first bytes of a request resume the connection; the rest comes after a quiet moment
            c.send("GET /thr");
            assertKeepsItsThreadForAWhile(baseline);
            c.send("ee HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("GET /three");
        }
    }

    /**
     * Asserts that the connection keeps its thread during three park thresholds (while a request head is
     * half read, or after a busy spell): waiting out a span of time is the point here, so this polls for
     * that long.
     */
    private static void assertKeepsItsThreadForAWhile(int baseline) throws InterruptedException {
        ResourceCounts.awaitThreadsAtMost(CONNECTION_THREAD, baseline + 1, PARK_WAIT_MILLIS);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(750);
        while (System.nanoTime() < until) {
            assertThat(ResourceCounts.threadsNamed(CONNECTION_THREAD)).as("threads while a head is half read")
                    .isGreaterThan(baseline);
            Thread.sleep(50);
        }
    }

    @Test
    void busyConnectionWaitsWithoutTimerThroughItsFirstPauseThenParksFromItsNextOn() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            // a sustained exchange: its waits are untimed (a timer per request would cost the hot path)
            for (int i = 0; i < 40; i++) {
                assertThat(c.get("/busy/" + i).read().status()).isEqualTo(200);
            }
            assertKeepsItsThreadForAWhile(baseline);
            // the request after a pause: its connection waits timed again, and parks
            assertThat(c.get("/after-pause").read().bodyText()).isEqualTo("GET /after-pause");
            awaitParked(baseline);
            c.assertOpen();
        }
    }

    @Test
    void idleTimeoutClosesAParkedConnection() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        CountDownLatch disconnected = new CountDownLatch(1);
        Limits limits = new Limits().setIdleTimeout(Duration.ofMillis(1500));
        try (EngineFixture f = EngineFixture.start(limits, s -> s.onRequestStarted(m -> m.onDisconnected(disconnected::countDown)));
             WireClient c = f.connect()) {
            c.assertOpen();
            awaitParked(baseline);
            assertThat(c.closedWithin(10_000)).as("closed by the idle timeout").isTrue();
            assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(f.server.getConnectionCount()).isZero();
        }
    }

    @Test
    void closeEndsParkedConnectionsAndFiresDisconnected() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        CountDownLatch subscribedEarly = new CountDownLatch(2);
        CountDownLatch subscribedLate = new CountDownLatch(1);
        List<ServerMessage> kept = new CopyOnWriteArrayList<>();
        EngineFixture f = EngineFixture.start(new Limits(), s -> {
            s.addHandler("/early", (srv, msg, path, query) -> {
                msg.onDisconnected(subscribedEarly::countDown);
                msg.setStatus(200);
            });
            // a handler that keeps its message and subscribes once the connection is idle
            s.addHandler("/kept", (srv, msg, path, query) -> {
                kept.add(msg);
                msg.setStatus(200);
            });
        });
        try (WireClient a = f.connect(); WireClient b = f.connect(); WireClient c = f.connect()) {
            assertThat(a.get("/early").read().status()).isEqualTo(200);
            assertThat(b.get("/early").read().status()).isEqualTo(200);
            assertThat(c.get("/kept").read().status()).isEqualTo(200);
            awaitParked(baseline);
            kept.get(0).onDisconnected(subscribedLate::countDown);
            f.server.close();
            assertThat(f.server.getConnectionCount()).isZero();
            a.assertClosed();
            b.assertClosed();
            c.assertClosed();
            assertThat(subscribedEarly.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(subscribedLate.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void thousandIdleConnectionsHoldNoThreadAndAllServeAgain() throws Exception {
        int connections = 1000;
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        int selectors = ResourceCounts.threadsNamed("ladle-idle-selector");
        List<WireClient> clients = new ArrayList<>();
        try (EngineFixture f = EngineFixture.start()) {
            try {
                for (int i = 0; i < connections; i++) {
                    WireClient c = f.connect();
                    clients.add(c);
                    assertThat(c.get("/c/" + i).read().status()).isEqualTo(200);
                }
                awaitParked(baseline);
                assertThat(f.server.getConnectionCount()).isEqualTo(connections);
                // one selector thread for all of them (others may still linger after earlier tests' servers)
                assertThat(ResourceCounts.threadsNamed("ladle-idle-selector")).isBetween(1, selectors + 1);
                for (int i = 0; i < connections; i++) {
                    assertThat(clients.get(i).get("/again/" + i).read().bodyText()).isEqualTo("GET /again/" + i);
                }
            } finally {
                for (WireClient c : clients) {
                    c.close();
                }
            }
            awaitConnectionCount(f.server, 0);
        }
    }

    @Test
    void connectionCapCountsParkedConnectionsAndAClosedOneFreesItsPlace() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxConnections(2))) {
            WireClient a = f.connect();
            try (WireClient b = f.connect()) {
                a.assertOpen();
                b.assertOpen();
                awaitParked(baseline);
                try (WireClient refused = f.connect()) {
                    refused.send(WireClient.PROBE);
                    assertRejectedAndClosed(refused, 503);
                }
                assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isEqualTo(1);
                // a client leaving a parked connection: the selector sees it, the place is given back
                a.close();
                awaitConnectionCount(f.server, 1);
                try (WireClient next = f.connect()) {
                    next.assertOpen();
                }
                b.assertOpen();
            }
        }
    }

    @Test
    void http2ConnectionWithNoStreamOpenParksAndServesItsNextRequest() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); ProtocolClient c = f.connect(Protocol.HTTP_2)) {
            assertThat(c.get("/first").bodyText()).isEqualTo("GET /first");
            awaitParked(baseline);
            ProtocolClient.Response r = c.get("/second");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("GET /second");
            // a request body arriving after another quiet moment
            awaitParked(baseline);
            c.send(ProtocolClient.Request.of("POST", "/third").body("abc"));
            assertThat(c.read().bodyText()).isEqualTo("POST /third body=abc");
        }
    }

    @Test
    void http2ConnectionWhoseLastStreamEndsWhileTheReaderWaitsStillParks() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        EngineFixture f = EngineFixture.start(new Limits(), s -> s.addHandler("/slow", (srv, msg, path, query) -> {
            // a handler that works for a few park thresholds: the reader waits with this stream open
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            msg.setResponse("text/plain", "slow".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            msg.setStatus(200);
        }));
        try (f; ProtocolClient c = f.connect(Protocol.HTTP_2)) {
            assertThat(c.get("/slow").bodyText()).isEqualTo("slow");
            awaitParked(baseline);
            assertThat(c.get("/after").bodyText()).isEqualTo("GET /after");
        }
    }

    @Test
    void closeSendsGoawayToAParkedHttp2Connection() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        EngineFixture f = EngineFixture.start();
        try (ProtocolClient c = f.connect(Protocol.HTTP_2)) {
            assertThat(c.get("/x").status()).isEqualTo(200);
            awaitParked(baseline);
            f.server.close();
            assertThat(c.endedByServer(5000)).as("GOAWAY or close").isTrue();
            assertThat(f.server.getConnectionCount()).isZero();
        }
    }

    @Test
    void closeLeavesNeitherTheSelectorThreadNorItsDescriptors() throws Exception {
        ResourceCounts before = ResourceCounts.take(null);
        int selectors = ResourceCounts.threadsNamed("ladle-idle-selector");
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.assertOpen();
            awaitParked(baseline);
            assertThat(ResourceCounts.threadsNamed("ladle-idle-selector")).isEqualTo(selectors + 1);
            f.server.close();
            // close() waits for the selector's thread as it waits for the connections
            assertThat(ResourceCounts.threadsNamed("ladle-idle-selector")).isLessThanOrEqualTo(selectors);
        }
        ResourceCounts.awaitNoMoreThan(before, null, 10_000);
    }

    /** Polls until the server counts {@code expected} connections (a closed client is noticed on the server's time). */
    private static void awaitConnectionCount(Server server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.getConnectionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20); // a poll interval: the condition is checked, not assumed
        }
        assertThat(server.getConnectionCount()).isEqualTo(expected);
    }
}
