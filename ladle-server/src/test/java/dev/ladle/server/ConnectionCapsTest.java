package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertRejectedAndClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2, the connection caps of {@link Limits}: beyond {@link Limits#getMaxConnections()} or
 * {@link Limits#getMaxConnectionsPerAddress()} a new connection gets 503 with {@code Retry-After} and
 * is closed, the refusal is counted in {@link ServerStatistics}, and a place freed by a closing
 * connection goes to the next one. (https listeners: {@code dev.ladle.tls.TlsConnectionCapTest}.)
 */
class ConnectionCapsTest {

    @Test
    void capsAreOffByDefault() {
        Limits limits = new Limits();
        assertThat(limits.getMaxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(limits.getMaxConnectionsPerAddress()).isEqualTo(Integer.MAX_VALUE);
        assertThat(limits.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void connectionBeyondTheServerLimitIsAnswered503WithRetryAfterAndClosed() throws Exception {
        Limits limits = new Limits().setMaxConnections(2).setRetryAfter(Duration.ofMillis(6500));
        try (EngineFixture f = EngineFixture.start(limits); WireClient a = f.connect(); WireClient b = f.connect()) {
            a.assertOpen();
            b.assertOpen();
            try (WireClient c = f.connect()) {
                c.send(WireClient.PROBE);
                WireClient.Response r = assertRejectedAndClosed(c, 503);
                assertThat(r.one("Retry-After")).isEqualTo("7");
                assertThat(r.bodyText()).contains("too many connections");
            }
            assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isEqualTo(1);
            assertThat(f.server.getStatistics().getConnectionsRefusedByAddressLimit()).isZero();
            // the admitted connections were not disturbed
            a.assertOpen();
            b.assertOpen();
        }
    }

    @Test
    void theJdkClientSeesThe503AndItsRetryAfter() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxConnections(1)); WireClient holder = f.connect()) {
            holder.assertOpen();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(f.uri.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isEqualTo(1);
        }
    }

    @Test
    void aPlaceFreedByAClosingConnectionGoesToTheNextOne() throws Exception {
        CountDownLatch disconnected = new CountDownLatch(1);
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxConnections(1), s -> s.addHandler("/watched",
                (srv, msg, path, query) -> {
                    msg.onDisconnected(disconnected::countDown);
                    msg.setResponse("text/plain", "watched".getBytes(StandardCharsets.UTF_8));
                    msg.setStatus(200);
                }))) {
            try (WireClient first = f.connect()) {
                assertThat(first.get("/watched").read().status()).isEqualTo(200);
            }
            // the place is given back before the Disconnected event fires
            assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
            try (WireClient next = f.connect()) {
                next.assertOpen();
            }
            assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isZero();
        }
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWhileOtherAddressesAreServed() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxConnectionsPerAddress(1)); WireClient a = f.connect()) {
            a.assertOpen();
            try (WireClient again = f.connect()) {
                again.send(WireClient.PROBE);
                WireClient.Response r = assertRejectedAndClosed(again, 503);
                assertThat(r.one("Retry-After")).isEqualTo("1");
                assertThat(r.bodyText()).contains("from your address");
            }
            // 127.0.0.2 is another client on the loopback network
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                other.connect(new InetSocketAddress(f.uri.getHost(), f.uri.getPort()), 5000);
                other.setSoTimeout(10_000);
                other.getOutputStream().write(WireClient.PROBE.getBytes(StandardCharsets.ISO_8859_1));
                String head = new String(other.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                assertThat(head).isEqualTo("HTTP/1.1 200");
            }
            assertThat(f.server.getStatistics().getConnectionsRefusedByAddressLimit()).isEqualTo(1);
            assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isZero();
            a.assertOpen();
        }
    }

    @Test
    void aRefusedConnectionTakesNoPlace() throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setMaxConnections(1)); WireClient a = f.connect()) {
            a.assertOpen();
            for (int i = 0; i < 20; i++) {
                try (WireClient refused = f.connect()) {
                    refused.send(WireClient.PROBE);
                    assertThat(refused.read().status()).isEqualTo(503);
                }
            }
            assertThat(f.server.getStatistics().getConnectionsRefusedByServerLimit()).isEqualTo(20);
            assertThat(f.server.getConnectionCount()).isEqualTo(1);
            a.assertOpen();
        }
    }

    @Test
    void capsMustBePositive() {
        Limits limits = new Limits();
        assertThatIllegalArgumentException().isThrownBy(() -> limits.setMaxConnections(0));
        assertThatIllegalArgumentException().isThrownBy(() -> limits.setMaxConnectionsPerAddress(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> limits.setRetryAfter(Duration.ofSeconds(-1)));
    }
}
