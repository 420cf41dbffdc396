package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ladle client connections against a Ladle server: many at once, and long-lived ones. */
class ManyConnectionsTest {

    /** Opens a client WebSocketConnection to {@code path} through a raw handshake. */
    private static WebSocketConnection connect(URI base, String path) throws Exception {
        Handshake h = Handshake.send(base, Handshake.request(path));
        assertThat(h.status).isEqualTo(101);
        h.socket.setSoTimeout(0);
        return new WebSocketConnection(h.socket.getInputStream(), h.socket.getOutputStream(), h.socket,
                URI.create("ws://" + base.getHost() + ":" + base.getPort() + path), ConnectionType.CLIENT, null, null,
                List.of());
    }

    @Test
    @Timeout(60)
    void thousandConcurrentConnectionsEachGetTheirOwnEchoesInOrder() throws Exception {
        int connections = 1000;
        int messages = 10;
        try (Server server = new Server(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger serverSide = new AtomicInteger();
            server.addWebSocketHandler("/echo", null, null, (srv, msg, path, conn) -> {
                serverSide.incrementAndGet();
                conn.onMessage(conn::sendMessage);
            });
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            URI base = server.getUris().get(0);
            CountDownLatch echoed = new CountDownLatch(connections);
            CountDownLatch closed = new CountDownLatch(connections);
            AtomicInteger wrong = new AtomicInteger();
            List<Future<WebSocketConnection>> opening = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int id = c;
                opening.add(threads.submit(() -> {
                    WebSocketConnection conn = connect(base, "/echo");
                    AtomicInteger next = new AtomicInteger();
                    conn.onMessage((type, data) -> {
                        String expected = id + ":" + next.get() + ":" + "x".repeat(id % 200);
                        if (!expected.equals(new String(data, StandardCharsets.UTF_8))) {
                            wrong.incrementAndGet();
                        }
                        if (next.incrementAndGet() == messages) {
                            echoed.countDown();
                        }
                    });
                    conn.onClosed(closed::countDown);
                    conn.start();
                    return conn;
                }));
            }
            List<WebSocketConnection> clients = new ArrayList<>();
            for (Future<WebSocketConnection> f : opening) {
                clients.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(serverSide.get()).isEqualTo(connections);
            for (int c = 0; c < connections; c++) {
                WebSocketConnection conn = clients.get(c);
                int id = c;
                threads.submit(() -> {
                    for (int m = 0; m < messages; m++) {
                        conn.sendText(id + ":" + m + ":" + "x".repeat(id % 200));
                    }
                });
            }
            assertThat(echoed.await(30, TimeUnit.SECONDS)).as("every connection got all its echoes").isTrue();
            assertThat(wrong.get()).isZero();
            for (WebSocketConnection conn : clients) {
                conn.close(CloseCode.NORMAL, null);
            }
            assertThat(closed.await(30, TimeUnit.SECONDS)).as("every connection closed").isTrue();
            assertThat(clients).allSatisfy(conn -> assertThat(conn.getCloseCode()).isEqualTo(CloseCode.NORMAL));
        }
    }

    @Test
    @Timeout(30)
    void connectionOutlivesTheHttpReadTimeouts() throws Exception {
        try (Server server = new Server()) {
            server.setLimits(new Limits().setHeaderTimeout(Duration.ofMillis(100)).setBodyReadTimeout(Duration.ofMillis(100))
                    .setIdleTimeout(Duration.ofMillis(100)));
            server.addWebSocketHandler("/echo", null, null, (srv, msg, path, conn) -> conn.onMessage(conn::sendMessage));
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            WebSocketConnection conn = connect(server.getUris().get(0), "/echo");
            Recorder recorder = new Recorder(conn);
            conn.start();
            // Idle for several times every HTTP timeout; the WebSocket must still be there.
            Thread.sleep(600);
            conn.sendText("still here");
            assertThat(recorder.message().text()).isEqualTo("still here");
            assertThat(conn.getState()).isEqualTo(WebSocketState.OPEN);
            conn.close(CloseCode.NORMAL, null);
            recorder.awaitClosed();
        }
    }
}
