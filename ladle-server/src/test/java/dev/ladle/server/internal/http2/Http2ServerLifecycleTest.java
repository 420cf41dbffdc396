package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import dev.ladle.server.SlowRequestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a whole {@link Server} ends HTTP/2 connections: close() with GOAWAY, the idle timeout, events. */
class Http2ServerLifecycleTest {
    private SlowRequestServer slow;
    private Server server;
    private int port;

    private void start(Limits limits) throws IOException {
        slow = SlowRequestServer.start(limits, s -> { });
        server = slow.server();
        port = slow.port();
    }

    @AfterEach
    void stop() {
        if (slow != null) {
            slow.close();
        }
    }

    @Test
    void closeSendsGoAwayWithTheLastStreamAndLetsTheStreamInFlightFinish() throws Exception {
        start(new Limits().setShutdownTimeout(Duration.ofSeconds(10)));
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            assertThat(c.response(1).text()).isEqualTo("ok");
            c.get(3, "/slow");
            assertThat(slow.awaitSlowStarted(Duration.ofSeconds(10))).isTrue();
            Thread closing = Thread.ofVirtual().start(server::close);
            H2TestClient.Frame goAway = c.nextSignificant();
            assertThat(goAway.type()).isEqualTo(H2TestClient.GOAWAY);
            assertThat(goAway.lastStreamId()).as("last stream id").isEqualTo(3);
            assertThat(goAway.errorCode()).as("error code").isEqualTo(ErrorCode.NO_ERROR.code());
            slow.releaseSlow();
            assertThat(c.response(3).text()).isEqualTo("slow done");
            assertThat(c.awaitClosed(10_000)).isTrue();
            closing.join(10_000);
            assertThat(closing.isAlive()).isFalse();
        }
    }

    @Test
    void anIdleConnectionGetsGoAwayAfterTheIdleTimeout() throws Exception {
        start(new Limits().setIdleTimeout(Duration.ofMillis(500)));
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            assertThat(c.response(1).text()).isEqualTo("ok");
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.NO_ERROR.code());
            assertThat(c.awaitClosed(10_000)).isTrue();
        }
    }

    @Test
    void theServersSettingsAdvertiseItsLimits() throws Exception {
        start(new Limits().setMaxConcurrentStreams(100));
        try (H2TestClient c = new H2TestClient(port)) {
            c.sendRaw(FrameReader.PREFACE);
            c.settings();
            H2TestClient.Frame settings = c.next();
            assertThat(settings.type()).isEqualTo(H2TestClient.SETTINGS);
            java.util.Map<Integer, Integer> values = new java.util.HashMap<>();
            ByteBuffer p = ByteBuffer.wrap(settings.payload());
            while (p.remaining() >= 6) {
                values.put(p.getShort() & 0xffff, p.getInt());
            }
            assertThat(values).containsEntry(0x3, 100)      // MAX_CONCURRENT_STREAMS
                    .containsEntry(0x4, 1 << 20)            // INITIAL_WINDOW_SIZE: Limits' stream window
                    .containsEntry(0x6, 64 * 1024)          // MAX_HEADER_LIST_SIZE: the header-section limit
                    .containsEntry(0x8, 1);                 // ENABLE_CONNECT_PROTOCOL (RFC 8441)
        }
    }

    @Test
    void aBodyStillUnfinishedTwoSecondsAfterAnEarlyAnswerIsResetWithNoError() throws Exception {
        start(new Limits());
        server.addEarlyHandler("/refused", (s, msg, path, query) -> msg.setStatus(403));
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.headers(1, false, H2TestClient.request("POST", "/refused"));
            c.data(1, false, new byte[10]);
            assertThat(c.response(1).status()).isEqualTo("403");
            long start = System.nanoTime();
            // the rest of the body never comes: the watchdog cuts the draining stream off
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.NO_ERROR.code());
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the reset").isBetween(1000L, 5000L);
        }
    }

    @Test
    void requestEventsFireForEachStream() throws Exception {
        start(new Limits());
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch finished = new CountDownLatch(2);
        server.onRequestStarted(msg -> started.countDown());
        server.onRequestFinished(msg -> finished.countDown());
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            c.get(3, "/");
            assertThat(c.response(1).text()).isEqualTo("ok");
            assertThat(c.response(3).text()).isEqualTo("ok");
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
