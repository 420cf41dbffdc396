package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection cap on an https listener (issue 15 item 2): a connection beyond it is closed at once,
 * before any TLS handshake, rather than answered 503 (see {@link Limits#getMaxConnections()}).
 */
class TlsConnectionCapTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @Test
    void connectionBeyondTheCapOnAnHttpsListenerIsClosedBeforeAnyHandshake() throws Exception {
        try (Server server = new Server()) {
            server.setLimits(new Limits().setMaxConnections(1));
            server.addHandler("/", (s, msg, path, query) -> {
                msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.UTF_8));
                msg.setStatus(200);
            });
            URI uri = pki.listenHttpsOnLoopback(server);
            SSLContext context = TlsClients.context(pki.caCert, null);
            try (SSLSocket admitted = TlsClients.connect(context, uri.getPort())) {
                // a refused connection: closed without waiting for a ClientHello (the handshake timeout is 10 s)
                try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
                    raw.setSoTimeout(5000);
                    assertThat(raw.getInputStream().read()).isEqualTo(-1);
                }
                assertThatThrownBy(() -> TlsClients.connect(context, uri.getPort())).isInstanceOf(IOException.class);
                assertThat(server.getStatistics().getConnectionsRefusedByServerLimit()).isEqualTo(2);
                // the admitted client is still served
                admitted.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(admitted.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            }
        }
    }
}
