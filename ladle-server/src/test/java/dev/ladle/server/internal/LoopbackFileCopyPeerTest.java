package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Which peers get files copied instead of sent with {@code sendfile}: loopback ones only, so that a client
 * across a network keeps the copy-free path (the server tests all run over loopback and cannot show it).
 */
class LoopbackFileCopyPeerTest {
    @Test
    void loopbackPeersAreOnThisMachine() throws Exception {
        assertThat(LoopbackFileCopy.onThisMachine(new InetSocketAddress("127.0.0.1", 40000))).isTrue();
        assertThat(LoopbackFileCopy.onThisMachine(new InetSocketAddress("127.8.9.10", 40000))).isTrue();
        assertThat(LoopbackFileCopy.onThisMachine(new InetSocketAddress(InetAddress.getByName("::1"), 40000))).isTrue();
    }

    @Test
    void networkPeersKeepSendfile() throws Exception {
        assertThat(LoopbackFileCopy.onThisMachine(new InetSocketAddress("192.0.2.7", 40000))).isFalse();
        assertThat(LoopbackFileCopy.onThisMachine(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000))).isFalse();
        assertThat(LoopbackFileCopy.onThisMachine(InetSocketAddress.createUnresolved("localhost", 40000))).isFalse();
        assertThat(LoopbackFileCopy.onThisMachine(UnixDomainSocketAddress.of("/tmp/x.sock"))).isFalse();
        assertThat(LoopbackFileCopy.onThisMachine(null)).isFalse();
    }
}
