package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutdown with upgraded connections open, and clients that stop reading. */
class ShutdownAndStallTest {

    @Test
    void closingTheServerSendsGoingAwayToOpenWebSockets() throws Exception {
        Server server = new Server();
        server.addWebSocketHandler("/ws", null, null, (s, m, p, conn) -> { });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        URI uri = URI.create("ws://127.0.0.1:" + server.getUris().get(0).getPort() + "/ws");
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        server.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        assertThat(closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        ws.abort();
    }

    @Test
    void clientThatStopsReadingIsCutOffAfterTheWriteTimeout() throws Exception {
        try (Server server = new Server()) {
            server.setLimits(new Limits().setWriteTimeout(Duration.ofSeconds(1)));
            CountDownLatch aborted = new CountDownLatch(1);
            server.onRequestAborted(m -> aborted.countDown());
            server.addHandler("/", (s, m, p, q) -> {
                m.setStatus(200);
                try (OutputStream out = m.getResponseBodyStream()) {
                    byte[] block = new byte[1024 * 1024];
                    for (int i = 0; i < 1024; i++) {
                        out.write(block);
                    }
                }
            });
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            try (WireClient c = new WireClient(server.getUris().get(0))) {
                c.socket().setReceiveBufferSize(4096);
                c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
                // never read: the server's write blocks until the watchdog gives up on us
                assertThat(aborted.await(10, TimeUnit.SECONDS)).isTrue();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.getConnectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.getConnectionCount()).isZero();
        }
    }
}
