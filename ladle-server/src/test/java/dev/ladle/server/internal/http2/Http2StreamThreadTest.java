package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The threads that run a connection's stream handlers: reused one after another, and left clean. */
class Http2StreamThreadTest {
    @Test
    void aConnectionsNextStreamRunsOnTheThreadItsLastStreamFinishedOn() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
                threads.add(Thread.currentThread());
                Http2TestServer.ok(stream, "ok");
            });
                H2TestClient c = H2TestClient.connect(s.port())) {
            for (int id = 1; id <= 9; id += 2) {
                c.get(id, "/");
                assertThat(c.response(id).text()).isEqualTo("ok");
            }
        }
        assertThat(threads).hasSize(5);
        assertThat(threads.stream().distinct().count()).as("distinct threads").isLessThan(5);
        assertThat(threads).allMatch(Thread::isVirtual);
    }

    @Test
    void aHandlersInterruptDoesNotReachTheNextStreamOnTheSameThread() throws Exception {
        List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
                interruptedAtStart.add(Thread.currentThread().isInterrupted());
                Http2TestServer.ok(stream, "ok");
                Thread.currentThread().interrupt();
            });
                H2TestClient c = H2TestClient.connect(s.port())) {
            for (int id = 1; id <= 5; id += 2) {
                c.get(id, "/");
                assertThat(c.response(id).text()).isEqualTo("ok");
            }
        }
        assertThat(interruptedAtStart).containsOnly(false);
    }

    @Test
    void streamsRunningAtOnceEachHaveAThread() throws Exception {
        java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(3);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
                threads.add(Thread.currentThread());
                together.countDown();
                together.await(10, java.util.concurrent.TimeUnit.SECONDS);
                Http2TestServer.ok(stream, "ok");
            });
                H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            c.get(3, "/");
            c.get(5, "/");
            int ended = 0;
            while (ended < 3) {
                // every HEADERS block is decoded in order: the HPACK table is the connection's
                H2TestClient.Frame f = c.nextSignificant();
                if (f.type() == H2TestClient.HEADERS) {
                    assertThat(c.decode(f.payload())).containsSequence(":status", "200");
                }
                if (f.has(H2TestClient.END_STREAM)) {
                    ended++;
                }
            }
        }
        assertThat(threads.stream().distinct().count()).isEqualTo(3);
    }
}
