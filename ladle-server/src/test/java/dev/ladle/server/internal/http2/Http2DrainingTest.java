package dev.ladle.server.internal.http2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 connections of a draining server (issue 17 item 4): GOAWAY NO_ERROR with the last stream id,
 * streams in flight finish, and a connection opened while draining serves its first stream first.
 */
class Http2DrainingTest {
    private Server server;
    private int port;
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "ok".getBytes(UTF_8));
        });
        server.addHandler("/slow", (s, msg, path, query) -> {
            slowStarted.countDown();
            try {
                releaseSlow.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            msg.setStatus(200);
            msg.setResponse("text/plain", "slow done".getBytes(UTF_8));
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        server.close();
    }

    /** What a client read up to a stream's END_STREAM: the GOAWAY's last stream id (or -1) and the body. */
    private record Outcome(int goAwayLastStream, int goAwayCode, String body) {
    }

    /** Reads frames until stream {@code streamId} ends and a GOAWAY came, in whichever order they arrive. */
    private static Outcome readUntilEndAndGoAway(H2TestClient c, int streamId) throws IOException {
        int lastStream = -1;
        int code = -1;
        boolean ended = false;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (!ended || lastStream < 0) {
            H2TestClient.Frame f = c.next();
            if (f.type() == H2TestClient.GOAWAY) {
                ByteBuffer p = ByteBuffer.wrap(f.payload());
                lastStream = p.getInt() & 0x7fff_ffff;
                code = p.getInt();
            } else if (f.streamId() == streamId) {
                assertThat(f.type()).as("frame type on stream %d", streamId).isNotEqualTo(H2TestClient.RST_STREAM);
                if (f.type() == H2TestClient.DATA) {
                    body.writeBytes(f.payload());
                }
                ended |= (f.type() == H2TestClient.DATA || f.type() == H2TestClient.HEADERS) && f.has(H2TestClient.END_STREAM);
            }
        }
        return new Outcome(lastStream, code, body.toString(UTF_8));
    }

    @Test
    void drainingSendsGoAwayWithTheLastStreamWhileTheStreamInFlightFinishes() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            assertThat(c.response(1).text()).isEqualTo("ok");
            c.get(3, "/slow");
            assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
            server.startDraining();
            H2TestClient.Frame goAway = c.nextSignificant();
            assertThat(goAway.type()).isEqualTo(H2TestClient.GOAWAY);
            ByteBuffer p = ByteBuffer.wrap(goAway.payload());
            assertThat(p.getInt() & 0x7fff_ffff).as("last stream id").isEqualTo(3);
            assertThat(p.getInt()).as("error code").isEqualTo(ErrorCode.NO_ERROR.code());
            releaseSlow.countDown();
            assertThat(c.response(3).text()).isEqualTo("slow done");
            assertThat(c.awaitClosed(30_000)).isTrue();
        }
        // the listener stays open during the grace: a new connection is still served
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            assertThat(readUntilEndAndGoAway(c, 1).body()).isEqualTo("ok");
        }
    }

    @Test
    void aConnectionOpenedWhileDrainingServesItsFirstStreamAndGetsGoAwayNamingIt() throws Exception {
        server.startDraining();
        try (H2TestClient c = H2TestClient.connect(port)) {
            c.get(1, "/");
            Outcome outcome = readUntilEndAndGoAway(c, 1);
            assertThat(outcome.body()).isEqualTo("ok");
            assertThat(outcome.goAwayLastStream()).isEqualTo(1);
            assertThat(outcome.goAwayCode()).isEqualTo(ErrorCode.NO_ERROR.code());
            assertThat(c.awaitClosed(30_000)).isTrue();
        }
    }

    @Test
    void aConnectionWithoutAStreamWhenDrainingBeginsGetsGoAwayWithItsFirstOne() throws Exception {
        try (H2TestClient c = H2TestClient.connect(port)) {
            server.startDraining();
            c.get(1, "/");
            Outcome outcome = readUntilEndAndGoAway(c, 1);
            assertThat(outcome.body()).isEqualTo("ok");
            assertThat(outcome.goAwayLastStream()).isEqualTo(1);
        }
    }
}
