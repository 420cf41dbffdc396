package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.ResourceCounts;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 items 3 and 4 over TLS: clients that stop in the middle of the handshake. Each is cut off by
 * the handshake timeout (lowered here) without holding up anyone else; its request, started when the
 * connection was accepted, ends as aborted with the message's Disconnected event; nothing is left behind.
 */
class TlsHostilePeersTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(4);
    /** Of the stalled clients, one in this many sends its whole ClientHello, costing the server a key exchange. */
    private static final int WHOLE_HELLO_EVERY = 20;
    private static final int STALLED = 1000;

    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate serverCertificate;
    static SSLContext clientContext;
    static byte[] clientHello;

    private Server server;
    private int port;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();

    @BeforeAll
    static void createPki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        clientContext = TlsClients.context(pki.caCert, null);
        clientHello = TlsClients.clientHello();
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(serverCertificate);
        server.setLimits(new Limits().setTlsHandshakeTimeout(HANDSHAKE_TIMEOUT));
        server.onRequestStarted(m -> {
            started.incrementAndGet();
            m.onDisconnected(disconnected::incrementAndGet);
        });
        server.onRequestFinished(m -> finished.incrementAndGet());
        server.onRequestAborted(m -> aborted.incrementAndGet());
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.UTF_8));
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thousandClientsStoppingMidHandshakeAreCutOffWhileANormalClientIsServed() throws Exception {
        warmUp();
        ResourceCounts before = ResourceCounts.take(null);
        List<Socket> stalled = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < STALLED; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                // most stop inside their ClientHello; some after it, the server's answer unread
                byte[] hello = i % WHOLE_HELLO_EVERY == 0 ? clientHello : Arrays.copyOf(clientHello, clientHello.length / 2);
                s.getOutputStream().write(hello);
                stalled.add(s);
            }
            long connectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            long requestStart = System.nanoTime();
            assertThat(TlsClients.fetch(clientContext, port)).isEqualTo("ok");
            long requestMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - requestStart);
            int cutBeforeAnswer = aborted.get();
            assertThat(cutBeforeAnswer).as("stalled clients already cut off when the normal one was answered")
                    .isLessThan(STALLED);

            for (Socket s : stalled) {
                assertThat(closedByServer(s)).as("the server closed a stalled client").isTrue();
            }
            long allCutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("%d stalled TLS clients connected in %d ms; a normal request took %d ms; all cut %d ms"
                    + " after the first connected%n", STALLED, connectedMillis, requestMillis, allCutMillis);
            assertThat(allCutMillis).isLessThan(connectedMillis + HANDSHAKE_TIMEOUT.toMillis() + 5000);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        awaitTrue(() -> aborted.get() == STALLED && server.getConnectionCount() == 0, "every stalled request aborted");
        assertThat(started.get()).as("request-started").isEqualTo(STALLED + 1);
        assertThat(finished.get()).as("request-finished").isEqualTo(1);
        awaitTrue(() -> disconnected.get() == STALLED + 1, "every message disconnected");
        ResourceCounts.awaitNoMoreThan(before, null, 5000);
    }

    @Test
    void clientLeavingMidHandshakeAbortsItsRequestAndLeavesNothingBehind() throws Exception {
        warmUp();
        ResourceCounts before = ResourceCounts.take(null);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(Arrays.copyOf(clientHello, clientHello.length / 2));
            awaitTrue(() -> started.get() == 1, "request-started at accept");
        }
        awaitTrue(() -> aborted.get() == 1, "request-aborted");
        awaitTrue(() -> disconnected.get() == 1, "the message's Disconnected event");
        assertThat(finished.get()).isZero();
        awaitTrue(() -> server.getConnectionCount() == 0, "no connection left");
        ResourceCounts.awaitNoMoreThan(before, null, 5000);
    }

    /** One whole exchange, so that what TLS makes once (the context, classes) is in the baseline; counters reset. */
    private void warmUp() throws Exception {
        assertThat(TlsClients.fetch(clientContext, port)).isEqualTo("ok");
        awaitTrue(() -> server.getConnectionCount() == 0 && disconnected.get() == 1, "the warm-up connection ended");
        started.set(0);
        finished.set(0);
        aborted.set(0);
        disconnected.set(0);
    }

    /** True when the server closed the socket (EOF or reset) within 10 s; bytes it sent first are skipped. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // the server's first flight, for the clients that sent a whole ClientHello
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(10); // a poll interval
        }
    }
}
