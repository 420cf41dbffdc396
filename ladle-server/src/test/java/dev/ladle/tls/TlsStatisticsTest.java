package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: {@link dev.ladle.server.ServerStatistics#getTlsHandshakeFailures()} counts a failed
 * handshake once, and a completed one not at all. The count is bumped before the RequestAborted event
 * of the exchange started at accept time, which the test waits for.
 */
class TlsStatisticsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    private Server server;
    private URI uri;
    private final Semaphore aborted = new Semaphore(0);
    private final Semaphore finished = new Semaphore(0);

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.onRequestAborted(msg -> aborted.release());
        server.onRequestFinished(msg -> finished.release());
        uri = pki.listenHttpsOnLoopback(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plainHttpOnAnHttpsPortCountsOneFailedHandshake() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            raw.getInputStream().readAllBytes();
        } catch (IOException e) {
            // the server may reset the connection rather than close it: either way the handshake failed
        }
        assertThat(aborted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.getStatistics().getTlsHandshakeFailures()).isEqualTo(1);
        assertThat(server.getStatistics().getConnectionsAccepted()).isEqualTo(1);
        assertThat(server.getStatistics().getResponsesTotal()).isZero();
    }

    @Test
    void aCompletedHandshakeCountsNoFailure() throws Exception {
        try (SSLSocket tls = TlsClients.connect(TlsClients.context(pki.caCert, null), uri.getPort())) {
            tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(tls.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        }
        assertThat(finished.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.getStatistics().getTlsHandshakeFailures()).isZero();
        assertThat(server.getStatistics().getResponses(2)).isEqualTo(1);
    }
}
