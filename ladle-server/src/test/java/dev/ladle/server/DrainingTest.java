package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Draining (issue 17 item 4) over real sockets: health checks turn to 503, HTTP/1 keep-alive ends with
 * {@code Connection: close}, WebSockets get 1001, the listeners stay open for the grace and close after.
 * HTTP/2 is in {@code Http2DrainingTest}.
 */
class DrainingTest {
    private static final long WAIT_SECONDS = 30;

    private SlowRequestServer slow;
    private Server server;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        slow = SlowRequestServer.start(new Limits(), setup -> {
            setup.addHealthHandler("/health");
            setup.addHandler("/ready", (s, msg, path, query) -> {
                // a user's own readiness answer
                msg.setResponse("text/plain", (s.isDraining() ? "leaving" : "here").getBytes(StandardCharsets.UTF_8));
                msg.setStatus(200);
            });
            setup.addWebSocketHandler("/ws", null, null, (s, msg, path, conn) -> { });
        });
        server = slow.server();
        uri = slow.uri();
    }

    @AfterEach
    void stop() {
        slow.close();
    }

    /** Polls a condition no event tells about (a connection accepted but silent), up to the wait. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(5);
        }
    }

    /** Asserts that a request for {@code /} on {@code c} is served, says {@code Connection: close}, and that the server then closes. */
    private static void assertServedOnceThenClosed(WireClient c) throws IOException {
        WireClient.Response r = c.get("/").read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.hasToken("connection", "close")).isTrue();
        c.assertClosed();
    }

    @Test
    void theHealthHandlerAnswers200WhileServingAnd503WhileDraining() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            WireClient.Response ok = c.get("/health").read();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo("ok\n");
            assertThat(ok.header("cache-control")).isEqualTo("no-store");
        }
        server.startDraining();
        assertThat(server.isDraining()).isTrue();
        try (WireClient c = new WireClient(uri)) {
            WireClient.Response draining = c.get("/health").read();
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.bodyText()).isEqualTo("draining\n");
            assertThat(draining.hasToken("connection", "close")).isTrue();
        }
    }

    @Test
    void theHealthHandlerRefusesOtherMethodsThanGetAndHead() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            WireClient.Response head = c.send("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            WireClient.Response post = c.send("POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("allow")).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void aHandlerOfTheUsersCanAskWhetherTheServerDrains() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            assertThat(c.get("/ready").read().bodyText()).isEqualTo("here");
        }
        server.startDraining();
        try (WireClient c = new WireClient(uri)) {
            assertThat(c.get("/ready").read().bodyText()).isEqualTo("leaving");
        }
    }

    @Test
    void aKeepAliveConnectionBusyWhenDrainingBeginsGetsConnectionCloseAfterItsCurrentRequest() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            WireClient.Response first = c.get("/").read();
            assertThat(first.hasToken("connection", "close")).isFalse();
            c.get("/slow");
            assertThat(slow.awaitSlowStarted(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
            server.startDraining();
            slow.releaseSlow();
            WireClient.Response last = c.read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.bodyText()).isEqualTo("slow done");
            assertThat(last.hasToken("connection", "close")).isTrue();
            c.assertClosed();
        }
    }

    @Test
    void aKeepAliveConnectionIdleWhenDrainingBeginsAnswersItsNextRequestWithConnectionClose() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            assertThat(c.get("/").read().hasToken("connection", "close")).isFalse();
            server.startDraining();
            assertServedOnceThenClosed(c);
        }
    }

    @Test
    void closeEndsAKeepAliveConnectionStillIdleAfterTheGrace() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            assertThat(c.get("/").read().status()).isEqualTo(200);
            server.drain(Duration.ofMillis(100));
            c.assertClosed();
        }
    }

    @Test
    void aConnectionThatHasNotSentItsFirstRequestWhenDrainingBeginsIsServedOnceWithConnectionClose() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            awaitTrue(() -> server.getConnectionCount() == 1, "the server to accept the connection");
            server.startDraining();
            assertServedOnceThenClosed(c);
        }
    }

    @Test
    void newConnectionsAreServedDuringTheGraceAndRefusedAfterIt() throws Exception {
        Thread draining = Thread.ofVirtual().start(() -> server.drain(Duration.ofMinutes(5)));
        awaitTrue(server::isDraining, "draining to begin");
        for (int i = 0; i < 3; i++) {
            try (WireClient c = new WireClient(uri)) {
                assertServedOnceThenClosed(c);
            }
        }
        assertThat(draining.isAlive()).as("still in its grace").isTrue();
        // a close from elsewhere ends the grace early
        server.close();
        assertThat(draining.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        assertThat(server.isDraining()).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void drainKeepsTheListenersOpenForTheGraceThenCloses() throws Exception {
        long start = System.nanoTime();
        server.drain(Duration.ofMillis(300));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(millis).isGreaterThanOrEqualTo(300);
        assertThat(server.getListeners()).isEmpty();
        assertThat(server.isDraining()).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aRequestInFlightOutlivesTheGraceWithinTheShutdownTimeout() throws Exception {
        try (WireClient c = new WireClient(uri)) {
            c.get("/slow");
            assertThat(slow.awaitSlowStarted(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
            Thread draining = Thread.ofVirtual().start(() -> server.drain(Duration.ofMillis(100)));
            // the grace is over once the listeners are gone; the slow request still runs
            awaitTrue(() -> server.getListeners().isEmpty(), "the grace to end");
            assertThat(draining.isAlive()).isTrue();
            slow.releaseSlow();
            WireClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("slow done");
            assertThat(r.hasToken("connection", "close")).isTrue();
            assertThat(draining.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        }
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> server.drain(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThat(server.isDraining()).isFalse();
    }

    @Test
    void aHealthPathThatDoesNotStartWithSlashIsRefused() {
        assertThatThrownBy(() -> server.addHealthHandler("health"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health");
    }

    private CompletableFuture<Integer> openWebSocket() throws Exception {
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        URI ws = URI.create("ws://127.0.0.1:" + uri.getPort() + "/ws");
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return closeCode;
    }

    @Test
    void anOpenWebSocketGetsGoingAwayWhenDrainingBegins() throws Exception {
        CompletableFuture<Integer> closeCode = openWebSocket();
        server.startDraining();
        assertThat(closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(1001);
        // the listener is still open for the balancer
        try (WireClient c = new WireClient(uri)) {
            assertThat(c.get("/health").read().status()).isEqualTo(503);
        }
    }

    @Test
    void aWebSocketWhoseHandshakeWasAcceptedJustBeforeDrainingBeganGetsGoingAway() throws Exception {
        // the connection stops between the 101 and the start of the WebSocket until draining began
        CountDownLatch switched = new CountDownLatch(1);
        CountDownLatch drainingBegan = new CountDownLatch(1);
        server.onRequestFinished(msg -> {
            if (msg.getUri().getPath().equals("/ws")) {
                switched.countDown();
                try {
                    drainingBegan.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        CompletableFuture<Integer> closeCode = openWebSocket();
        assertThat(switched.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        server.startDraining();
        drainingBegan.countDown();
        assertThat(closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(1001);
    }

    @Test
    void aWebSocketHandshakeWhileDrainingGets503SoThatABalancerRetriesElsewhere() throws Exception {
        server.startDraining();
        try (WireClient c = new WireClient(uri)) {
            c.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("draining");
            assertThat(r.hasToken("connection", "close")).isTrue();
        }
    }

    @Test
    void anInvalidWebSocketHandshakeWhileDrainingStillGets400() throws Exception {
        server.startDraining();
        try (WireClient c = new WireClient(uri)) {
            c.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
    }
}
