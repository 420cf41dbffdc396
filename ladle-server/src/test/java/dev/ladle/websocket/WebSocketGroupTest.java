package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WebSocketGroup} on a real server, with JDK {@code java.net.http.WebSocket} clients. */
@Timeout(90)
class WebSocketGroupTest {
    /** Big enough that a peer that reads nothing fills the socket buffers of both ends many times over. */
    private static final int BIG = 256 * 1024;
    private static final int BIG_COUNT = 48;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Socket> sockets = new ArrayList<>();
    private final BlockingQueue<WebSocketConnection> joined = new LinkedBlockingQueue<>();
    /** Counted down by each connection's own onClosed listener, which runs after the group's. */
    private final BlockingQueue<WebSocketConnection> closed = new LinkedBlockingQueue<>();
    private Server server;
    private WebSocketGroup group;

    /** Starts a server whose {@code /room} endpoint adds every connection to {@code g}. */
    private URI serve(WebSocketGroup g) throws Exception {
        group = g;
        server = new Server();
        server.addWebSocketHandler("/room", (srv, msg, path, conn) -> {
            g.add(conn);
            conn.onClosed(() -> closed.add(conn));
            joined.add(conn);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        URI base = server.getUris().get(0);
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/room");
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private WebSocketConnection joinedConnection() throws InterruptedException {
        WebSocketConnection conn = joined.poll(10, TimeUnit.SECONDS);
        assertThat(conn).as("a connection joined").isNotNull();
        return conn;
    }

    private List<JdkPeer> connect(URI uri, int n) throws Exception {
        List<JdkPeer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(JdkPeer.connect(client, uri));
            joinedConnection();
        }
        return peers;
    }

    @Test
    void threeClientsEachReceiveTheBroadcastTextAndBinary() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 3);
        assertThat(group.size()).isEqualTo(3);

        assertThat(group.sendText("hello, room")).isEqualTo(3);
        byte[] data = {1, 2, 3};
        assertThat(group.sendBinary(data)).isEqualTo(3);
        data[0] = 9; // the group copied the array

        for (JdkPeer peer : peers) {
            assertThat(peer.text()).isEqualTo("hello, room");
            assertThat(peer.binary(10)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void everyMemberGetsTheMessagesInTheOrderTheyWereSent() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 2);
        for (int i = 0; i < 100; i++) {
            group.sendText("m" + i);
        }
        for (JdkPeer peer : peers) {
            for (int i = 0; i < 100; i++) {
                assertThat(peer.text()).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void aClosedClientIsDroppedAndNotSentTo() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 3);
        JdkPeer leaving = peers.get(2);
        leaving.socket.sendClose(CloseCode.NORMAL, "bye").get(10, TimeUnit.SECONDS);
        WebSocketConnection gone = closed.poll(10, TimeUnit.SECONDS);
        assertThat(gone).as("the server saw the close").isNotNull();

        assertThat(group.size()).isEqualTo(2);
        assertThat(group.contains(gone)).isFalse();
        assertThat(group.sendText("after")).as("queued for the two left").isEqualTo(2);
        assertThat(peers.get(0).text()).isEqualTo("after");
        assertThat(peers.get(1).text()).isEqualTo("after");
        assertThat(leaving.texts).isEmpty();
    }

    @Test
    void removingOrClosingTheSubscriptionTakesAConnectionOutButLeavesItOpen() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 2);
        List<WebSocketConnection> members = group.getConnections();
        WebSocketConnection first = members.get(0);
        assertThat(group.remove(first)).isTrue();
        assertThat(group.remove(first)).isFalse();
        assertThat(group.size()).isEqualTo(1);
        group.add(first).close();
        assertThat(group.size()).isEqualTo(1);
        assertThat(first.getState()).isEqualTo(WebSocketState.OPEN);

        group.sendText("to one");
        first.sendText("direct");
        List<String> got = new ArrayList<>();
        for (JdkPeer peer : peers) {
            got.add(peer.text());
        }
        assertThat(got).containsExactlyInAnyOrder("to one", "direct");
    }

    @Test
    void aClientThatLeavesMidBroadcastDoesNotBreakTheRest() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 3);
        JdkPeer leaving = peers.get(0);
        CountDownLatch tenth = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    leaving.text();
                }
                tenth.countDown();
                leaving.socket.abort(); // the TCP connection goes without a close frame
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int sent = 0;
        for (; sent < 10; sent++) {
            group.sendText("m" + sent);
        }
        assertThat(tenth.await(10, TimeUnit.SECONDS)).isTrue();
        for (; sent < 300; sent++) {
            group.sendText("m" + sent); // never throws, whatever the leaving member's state
        }
        reader.join();
        for (JdkPeer peer : peers.subList(1, 3)) {
            for (int i = 0; i < 300; i++) {
                assertThat(peer.text()).isEqualTo("m" + i);
            }
        }
        assertThat(closed.poll(10, TimeUnit.SECONDS)).as("the server saw the abort").isNotNull();
        assertThat(group.size()).isEqualTo(2);
    }

    @Test
    void aClientThatNeverReadsDoesNotStopTheOthersReceiving() throws Exception {
        URI uri = serve(new WebSocketGroup());
        stalledPeer(uri);
        WebSocketConnection stalled = joinedConnection();
        List<JdkPeer> readers = connect(uri, 2);

        long start = System.nanoTime();
        for (int i = 0; i < BIG_COUNT; i++) {
            assertThat(group.sendBinary(big(i))).isEqualTo(3);
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                .as("broadcasting never waits for a member").isLessThan(5);
        for (JdkPeer peer : readers) {
            for (int i = 0; i < BIG_COUNT; i++) {
                byte[] got = peer.binary(30);
                assertThat(got).hasSize(BIG);
                assertThat(got[0]).isEqualTo((byte) i);
            }
        }
        assertThat(group.contains(stalled)).as("below the queue bound it stays a member").isTrue();
    }

    @Test
    void aMemberWhoseQueueIsFullIsDroppedAndClosedWhileTheOthersGoOn() throws Exception {
        URI uri = serve(new WebSocketGroup(4));
        stalledPeer(uri);
        WebSocketConnection stalled = joinedConnection();
        JdkPeer reader = connect(uri, 1).get(0);

        // one at a time, so that only the stalled member's queue grows
        for (int i = 0; i < BIG_COUNT; i++) {
            group.sendBinary(big(i));
            assertThat(reader.binary(30)[0]).isEqualTo((byte) i);
        }
        assertThat(group.contains(stalled)).as("dropped as too slow").isFalse();
        assertThat(group.size()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedBeforeItIsAddedIsNotAdded() throws Exception {
        List<JdkPeer> peers = connect(serve(new WebSocketGroup()), 1);
        WebSocketConnection conn = group.getConnections().get(0);
        peers.get(0).socket.sendClose(CloseCode.NORMAL, "").get(10, TimeUnit.SECONDS);
        assertThat(closed.poll(10, TimeUnit.SECONDS)).isSameAs(conn);
        assertThat(conn.getState()).isEqualTo(WebSocketState.CLOSED);

        WebSocketGroup other = new WebSocketGroup();
        other.add(conn);
        assertThat(other.size()).isZero();
        assertThat(other.sendText("nobody")).isZero();
    }

    private static byte[] big(int i) {
        byte[] b = new byte[BIG];
        Arrays.fill(b, (byte) i);
        return b;
    }

    /** Opens a WebSocket whose client never reads a byte after the handshake, with a tiny receive buffer. */
    private void stalledPeer(URI uri) throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(Handshake.request("/room").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("handshake response").isNotNegative();
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }
}
