package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 4 item 6: a handler takes the raw connection (tunnels, custom protocols after an upgrade). */
class StealConnectionTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectTunnelEchoesAfterTheServerForgetsTheConnection() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            if (!m.getMethod().equals("CONNECT")) {
                m.setStatus(405);
                return;
            }
            m.setStatus(200);
            m.onWroteBody(() -> {
                StolenConnection raw = m.stealConnection();
                Thread.ofVirtual().start(() -> echo(raw));
            });
        });
        try (WireClient c = new WireClient(base)) {
            c.send("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
            WireClient.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            c.send("tunnelled bytes\n");
            byte[] back = c.socket().getInputStream().readNBytes("tunnelled bytes\n".length());
            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("tunnelled bytes\n");
        }
    }

    @Test
    void stolenInputYieldsBytesTheServerHadAlreadyRead() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        String[] got = new String[1];
        server.addHandler("/", (s, m, p, q) -> {
            StolenConnection raw = m.stealConnection();
            try (raw) {
                got[0] = new String(raw.input().readNBytes(5), StandardCharsets.US_ASCII);
                raw.output().write("bye".getBytes(StandardCharsets.US_ASCII));
                raw.output().flush();
            }
            done.countDown();
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\nEXTRA");
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(got[0]).isEqualTo("EXTRA");
            assertThat(new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
        }
    }

    @Test
    void closingTheServerLeavesAStolenConnectionAlone() throws Exception {
        CountDownLatch stolen = new CountDownLatch(1);
        StolenConnection[] kept = new StolenConnection[1];
        server.addHandler("/", (s, m, p, q) -> {
            kept[0] = m.stealConnection();
            stolen.countDown();
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(stolen.await(5, TimeUnit.SECONDS)).isTrue();
            server.close();
            kept[0].output().write("still here".getBytes(StandardCharsets.US_ASCII));
            kept[0].output().flush();
            byte[] b = c.socket().getInputStream().readNBytes(10);
            assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("still here");
            kept[0].close();
        }
    }

    @Test
    void resetStolenConnectionGivesThePeerAConnectionReset() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            StolenConnection raw = m.stealConnection();
            raw.output().write("partial".getBytes(StandardCharsets.US_ASCII));
            raw.reset();
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = c.socket().getInputStream();
            // an orderly close would end the stream (-1); a reset makes the read fail
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // whatever arrived before the reset
                }
            }).isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void halfClosedStolenConnectionEndsThePeersInputAndStillReadsWhatThePeerSends() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        String[] got = new String[1];
        server.addHandler("/", (s, m, p, q) -> {
            StolenConnection raw = m.stealConnection();
            try (raw) {
                raw.output().write("bye".getBytes(StandardCharsets.US_ASCII));
                raw.shutdownOutput();
                got[0] = new String(raw.input().readAllBytes(), StandardCharsets.US_ASCII);
            }
            done.countDown();
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
            c.send("after the server's FIN");
            c.socket().shutdownOutput();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(got[0]).isEqualTo("after the server's FIN");
        }
    }

    private static void echo(StolenConnection raw) {
        try (raw; InputStream in = raw.input(); OutputStream out = raw.output()) {
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // tunnel closed
        }
    }
}
