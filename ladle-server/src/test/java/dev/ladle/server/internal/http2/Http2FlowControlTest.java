package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.DATA;
import static dev.ladle.server.internal.http2.H2TestClient.PING;
import static dev.ladle.server.internal.http2.H2TestClient.WINDOW_UPDATE;
import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.internal.http2.H2TestClient.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Flow control both ways (RFC 9113 §5.2, §6.9): back-pressure on request bodies, respect for the peer's windows. */
class Http2FlowControlTest {
    private static final Http2Config SMALL_WINDOWS = new Http2Config(100, 16384, 65535, 16384, 64 << 10, 4096,
            Duration.ofMillis(500), true);

    /** Frames until a PING ACK: everything the server sent before answering the ping. */
    private static List<Frame> framesUntilPingAck(H2TestClient c) throws Exception {
        c.ping(77);
        List<Frame> frames = new ArrayList<>();
        for (Frame f = c.next(); f.type() != PING; f = c.next()) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void handlerThatDoesNotReadGetsNoCreditReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(SMALL_WINDOWS, stream -> {
            release.await();
            Http2TestServer.readAll(stream);
            Http2TestServer.ok(stream, "ok");
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            c.data(1, false, new byte[16384]);
            assertThat(framesUntilPingAck(c)).noneMatch(f -> f.type() == WINDOW_UPDATE);
            release.countDown();
            c.data(1, true, new byte[0]);
            assertThat(c.response(1).text()).isEqualTo("ok");
        }
    }

    @Test
    void creditIsReturnedAsTheHandlerReads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(SMALL_WINDOWS, stream -> {
            release.await();
            Http2TestServer.readAll(stream);
            Http2TestServer.ok(stream, "ok");
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            c.data(1, false, new byte[16384]);
            release.countDown();
            // batched: an update once half the window was read
            int credit = 0;
            while (credit < 16384) {
                Frame f = c.next();
                if (f.type() == WINDOW_UPDATE && f.streamId() == 1) {
                    assertThat(f.int32(0)).isGreaterThanOrEqualTo(8192);
                    credit += f.int32(0);
                }
            }
            c.data(1, true, new byte[16384]);
            assertThat(c.response(1).text()).isEqualTo("ok");
        }
    }

    @Test
    void peerExceedingStreamWindowIsStreamFlowControlError() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(SMALL_WINDOWS, stream -> release.await());
                H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            c.data(1, false, new byte[16384]);
            c.data(1, false, new byte[1]);
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code());
            release.countDown();
        }
    }

    @Test
    void peerExceedingConnectionWindowIsConnectionFlowControlError() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(SMALL_WINDOWS, stream -> release.await());
                H2TestClient c = H2TestClient.connect(s.port())) {
            for (int id = 1; id <= 9; id += 2) {
                c.headers(id, false, request("POST", "/"));
                c.data(id, false, new byte[id == 9 ? 1 : 16384]); // 4 x 16384 = 65536 > 65535
            }
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code());
            release.countDown();
        }
    }

    @Test
    void responseDataStopsAtTheStreamWindowAndResumesOnWindowUpdate() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 10);
            c.get(1, "/stream/100");
            int received = 0;
            for (Frame f : framesUntilPingAck(c)) {
                if (f.type() == DATA) {
                    received += f.payload().length;
                }
            }
            // the ping answer can overtake the handler; wait for the window's worth if so
            while (received < 10) {
                Frame f = c.next();
                if (f.type() == DATA) {
                    received += f.payload().length;
                }
            }
            assertThat(received).isEqualTo(10);
            assertThat(framesUntilPingAck(c)).noneMatch(f -> f.type() == DATA);
            c.windowUpdate(1, 90);
            assertThat(c.response(1).body()).hasSize(90);
        }
    }

    @Test
    void loweredInitialWindowMakesOpenStreamWindowNegative() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 10);
            c.get(1, "/stream/30");
            int received = 0;
            while (received < 10) {
                Frame f = c.next();
                if (f.type() == DATA) {
                    received += f.payload().length;
                }
            }
            c.settings(4, 5); // window 10 - 10 + (5 - 10) = -5
            c.windowUpdate(1, 6);
            Frame f = c.next();
            while (f.type() != DATA) {
                f = c.next();
            }
            assertThat(f.payload()).hasSize(1);
        }
    }

    @Test
    void responseDataStopsAtTheConnectionWindow() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 1 << 20);
            c.get(1, "/stream/100000");
            int received = 0;
            while (received < 65535) {
                Frame f = c.next();
                if (f.type() == DATA) {
                    received += f.payload().length;
                }
            }
            assertThat(framesUntilPingAck(c)).noneMatch(f -> f.type() == DATA);
            c.windowUpdate(0, 100000 - 65535);
            assertThat(c.response(1).body()).hasSize(100000 - 65535);
        }
    }

    @Test
    void dataFramesNeverExceedTheMaxFrameSize() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 1 << 20, 5, 1 << 20);
            c.windowUpdate(0, 1 << 20);
            c.get(1, "/stream/60000");
            int received = 0;
            while (received < 60000) {
                Frame f = c.next();
                if (f.type() == DATA) {
                    assertThat(f.payload().length).isLessThanOrEqualTo(16384);
                    received += f.payload().length;
                }
            }
        }
    }

    @Test
    void peerHoldingZeroWindowGetsStreamCancelledAfterWriteTimeout() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults().withWriteTimeout(Duration.ofMillis(300)));
                H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 0);
            long start = System.nanoTime();
            c.get(1, "/stream/10");
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.CANCEL.code());
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }
}
