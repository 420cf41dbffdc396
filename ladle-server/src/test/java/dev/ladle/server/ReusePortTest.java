package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ListenOption#REUSE_PORT} (issue 17 item 3): two servers on one port, and the refusals. */
class ReusePortTest {
    private final Server first = named("first");
    private final Server second = named("second");

    @TempDir
    Path dir;

    private static Server named(String name) {
        Server server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setResponse("text/plain", name.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        return server;
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    private static boolean platformHasReusePort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
    }

    private static InetSocketAddress loopback(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    }

    private static String get(URI uri) throws IOException {
        try (WireClient c = new WireClient(uri)) {
            return c.get("/", "Connection: close").read().bodyText();
        }
    }

    @Test
    void twoServersWithReusePortListenOnTheSamePortAndTheSecondTakesOverWhenTheFirstCloses() throws Exception {
        assumeTrue(platformHasReusePort(), "this platform has no SO_REUSEPORT");
        first.listen(loopback(0), Set.of(ListenOption.REUSE_PORT));
        URI uri = first.getUris().get(0);
        second.listen(loopback(uri.getPort()), Set.of(ListenOption.REUSE_PORT));
        assertThat(second.getUris()).containsExactly(uri);
        // the kernel spreads connections over both; a hundred all landing on one would be a 2^-99 chance
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 100 && answered.size() < 2; i++) {
            answered.add(get(uri));
        }
        assertThat(answered).containsExactlyInAnyOrder("first", "second");
        first.close();
        for (int i = 0; i < 10; i++) {
            assertThat(get(uri)).isEqualTo("second");
        }
    }

    @Test
    void listenLocalWithReusePortSharesBothFamiliesPorts() throws Exception {
        assumeTrue(platformHasReusePort(), "this platform has no SO_REUSEPORT");
        first.listenLocal(0, Set.of(ListenOption.REUSE_PORT));
        int port = first.getUris().get(0).getPort();
        second.listenLocal(port, Set.of(ListenOption.REUSE_PORT));
        assertThat(second.getUris()).isEqualTo(first.getUris());
    }

    @Test
    void withoutReusePortTheSecondBindFailsWithTheUsualError() throws Exception {
        assumeTrue(platformHasReusePort(), "this platform has no SO_REUSEPORT");
        first.listen(loopback(0), Set.of(ListenOption.REUSE_PORT));
        int port = first.getUris().get(0).getPort();
        assertThatThrownBy(() -> second.listen(loopback(port), Set.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + port)
                .hasMessageContaining("in use");
    }

    @Test
    void aServerWithoutReusePortKeepsItsPortToItself() throws Exception {
        first.listen(loopback(0), Set.of());
        int port = first.getUris().get(0).getPort();
        assertThatThrownBy(() -> second.listen(loopback(port), Set.of(ListenOption.REUSE_PORT)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
    }

    @Test
    void reusePortOnAUnixDomainSocketIsRefusedByName() {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        assertThatThrownBy(() -> first.listen(address, Set.of(ListenOption.REUSE_PORT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REUSE_PORT").hasMessageContaining("Unix-domain");
    }

    @Test
    void reusePortOnAnAlreadyBoundChannelIsRefusedByName() throws Exception {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(loopback(0));
            assertThatThrownBy(() -> first.listenSocket(channel, Set.of(ListenOption.REUSE_PORT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("REUSE_PORT").hasMessageContaining("already bound");
        }
    }
}
