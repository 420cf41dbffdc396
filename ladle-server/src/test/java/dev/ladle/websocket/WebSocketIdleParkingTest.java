package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.ResourceCounts;
import dev.ladle.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle WebSockets without threads (issue 16): a server-side WebSocket whose peer stays quiet for a
 * moment between frames gives up its reader thread and waits in the server's selector. Messages from
 * the peer, messages the application sends from other threads, keepalive pings and the server's close
 * must all still work. "Parked" is observed as the absence of the connection's thread in a thread dump.
 */
class WebSocketIdleParkingTest {
    private static final String CONNECTION_THREAD = "ladle-connection";

    private Server server;
    private URI base;
    private int baseline;
    /** The client's socket of the last connection. */
    private java.net.Socket clientSocket;
    /** The server side of the last connection, as its handler got it. */
    private final CompletableFuture<WebSocketConnection> serverSide = new CompletableFuture<>();
    private final CountDownLatch serverClosed = new CountDownLatch(1);
    private final CountDownLatch pongs = new CountDownLatch(3);

    @BeforeEach
    void start() throws Exception {
        baseline = ResourceCounts.threadsNamed(CONNECTION_THREAD);
        server = new Server();
        server.addWebSocketHandler("/echo", null, null, (srv, msg, path, conn) -> {
            conn.onMessage(conn::sendMessage);
            conn.onClosed(serverClosed::countDown);
            conn.onPong(payload -> pongs.countDown());
            serverSide.complete(conn);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Opens a client connection to {@code /echo} and starts reading it. */
    private WebSocketConnection connect(Recorder[] recorder) throws Exception {
        Handshake h = Handshake.send(base, Handshake.request("/echo"));
        assertThat(h.status).isEqualTo(101);
        h.socket.setSoTimeout(0);
        clientSocket = h.socket;
        WebSocketConnection conn = new WebSocketConnection(h.socket.getInputStream(), h.socket.getOutputStream(), h.socket,
                URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/echo"), ConnectionType.CLIENT, null, null,
                List.of());
        recorder[0] = new Recorder(conn);
        conn.start();
        return conn;
    }

    /** Waits until the server's connection gave up its thread. */
    private void awaitParked() throws InterruptedException {
        ResourceCounts.awaitThreadsAtMost(CONNECTION_THREAD, baseline, 20_000);
    }

    @Test
    void messageAfterIdlingIsEchoed() throws Exception {
        Recorder[] recorder = new Recorder[1];
        WebSocketConnection client = connect(recorder);
        client.sendText("first");
        assertThat(recorder[0].message().text()).isEqualTo("first");
        awaitParked();
        client.sendText("after a quiet moment");
        assertThat(recorder[0].message().text()).isEqualTo("after a quiet moment");
        awaitParked();
        client.sendBinary(new byte[70_000]);
        assertThat(recorder[0].message().data()).hasSize(70_000);
        client.close(CloseCode.NORMAL, null);
        recorder[0].awaitClosed();
        assertThat(serverClosed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void applicationSendsFromAnotherThreadWhileTheReaderIsParked() throws Exception {
        Recorder[] recorder = new Recorder[1];
        WebSocketConnection client = connect(recorder);
        WebSocketConnection pushing = serverSide.get(5, TimeUnit.SECONDS);
        awaitParked();
        Thread.ofVirtual().start(() -> pushing.sendText("pushed")).join();
        assertThat(recorder[0].message().text()).isEqualTo("pushed");
        awaitParked();
        for (int i = 0; i < 3; i++) {
            pushing.sendText("push " + i);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(recorder[0].message().text()).isEqualTo("push " + i);
        }
        // and the reader still reads
        client.sendText("echo me");
        assertThat(recorder[0].message().text()).isEqualTo("echo me");
    }

    @Test
    void keepalivePingsAreAnsweredWhileTheReaderParksBetweenThem() throws Exception {
        Recorder[] recorder = new Recorder[1];
        connect(recorder);
        WebSocketConnection pinging = serverSide.get(5, TimeUnit.SECONDS);
        awaitParked();
        // each ping resumes the connection, whose reader then gets the pong and parks again
        pinging.setKeepaliveInterval(Duration.ofMillis(600));
        assertThat(pongs.await(20, TimeUnit.SECONDS)).as("pongs to three keepalive pings").isTrue();
        assertThat(pinging.getState()).isEqualTo(WebSocketState.OPEN);
    }

    @Test
    void serverCloseSendsGoingAwayToAParkedWebSocket() throws Exception {
        Recorder[] recorder = new Recorder[1];
        WebSocketConnection client = connect(recorder);
        serverSide.get(5, TimeUnit.SECONDS);
        awaitParked();
        server.close();
        recorder[0].awaitClosed();
        assertThat(client.getCloseCode()).isEqualTo(CloseCode.GOING_AWAY);
        assertThat(serverClosed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(server.getConnectionCount()).isZero();
    }

    @Test
    void peerVanishingFromAParkedWebSocketEndsItOnTheServer() throws Exception {
        Recorder[] recorder = new Recorder[1];
        connect(recorder);
        WebSocketConnection onServer = serverSide.get(5, TimeUnit.SECONDS);
        awaitParked();
        // no close frame: the TCP connection just ends
        clientSocket.close();
        assertThat(serverClosed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onServer.getState()).isEqualTo(WebSocketState.CLOSED);
        assertThat(onServer.getCloseCode()).isEqualTo(CloseCode.ABNORMAL);
    }
}
