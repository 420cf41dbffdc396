package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.bench.load.WebSocketLoad;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark's own WebSocket client speaks to a peer that has WebSocket, so its row measures echoes. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LoadClientsTest {

    @Test
    void webSocketClientGetsItsMessagesEchoedByNetty() throws Exception {
        try (BenchServer server = Main.start("netty", ServerOptions.plain(0))) {
            assertThat(WebSocketLoad.echoOnce(server.port(), 16 * 1024)).isEqualTo(16 * 1024);
        }
    }

    @Test
    void webSocketClientGetsItsMessagesEchoedByLadle() throws Exception {
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            assertThat(WebSocketLoad.echoOnce(server.port(), 16 * 1024)).isEqualTo(16 * 1024);
        }
    }

    @Test
    void webSocketClientGetsItsMessagesEchoedByJetty() throws Exception {
        try (BenchServer server = Main.start("jetty", ServerOptions.plain(0))) {
            assertThat(WebSocketLoad.echoOnce(server.port(), 64)).isEqualTo(64);
        }
    }
}
