package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ResourceCounts;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle parking is for plain connections only: a TLS socket may hold decrypted bytes that a selector on
 * the channel under it cannot see, so an idle TLS keep-alive connection keeps its thread.
 */
class TlsIdleConnectionTest {
    private static final String CONNECTION_THREAD = "ladle-connection";
    private static final String RESPONSE_BODY = "ok";

    @TempDir
    static Path dir;
    static TestPki pki;

    private Server server;
    private URI uri;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setResponse("text/plain", RESPONSE_BODY.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        uri = pki.listenHttpsOnLoopback(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends a keep-alive request and reads its response, whose body is {@link #RESPONSE_BODY}. */
    private static String exchange(SSLSocket tls) throws IOException {
        tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        tls.getOutputStream().flush();
        InputStream in = tls.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n" + RESPONSE_BODY)) {
            int b = in.read();
            assertThat(b).as("the response so far: " + response).isNotNegative();
            response.append((char) b);
        }
        return response.toString();
    }

    @Test
    void anIdleTlsKeepAliveConnectionKeepsItsThreadPastTheParkThreshold() throws Exception {
        int baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        try (SSLSocket tls = TlsClients.connect(TlsClients.context(pki.caCert, null), uri.getPort())) {
            assertThat(exchange(tls)).startsWith("HTTP/1.1 200");
            // a plain connection parks after 250 ms of quiet; this one waits three times that on its thread
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(750);
            while (System.nanoTime() < until) {
                assertThat(ResourceCounts.threadsNamed(CONNECTION_THREAD)).as("the idle TLS connection's thread")
                        .isGreaterThan(baseline);
                Thread.sleep(50);
            }
            assertThat(exchange(tls)).startsWith("HTTP/1.1 200");
        }
    }
}
