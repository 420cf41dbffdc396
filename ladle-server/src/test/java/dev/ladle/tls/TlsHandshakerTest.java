package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Limits;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.server.internal.ServerState;
import dev.ladle.server.internal.TlsHandshaker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsHandshaker} on real sockets with JDK clients, the way the engine calls it. */
class TlsHandshakerTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate serverCertificate;
    static TlsCertificate alice;
    static TlsCertificate expiredAlice;
    static TlsCertificate futureAlice;
    static TlsCertificate stranger;

    ServerState state;
    TlsTestServer server;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        alice = TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey);
        expiredAlice = TlsCertificate.fromPemFiles(pki.expiredClientCert, pki.clientKey);
        futureAlice = TlsCertificate.fromPemFiles(pki.futureClientCert, pki.clientKey);
        stranger = TlsCertificate.fromPemFiles(pki.strangerCert, pki.strangerKey);
    }

    @BeforeEach
    void startServer() throws IOException {
        state = new ServerState(null, null);
        state.setTlsCertificate(serverCertificate);
        state.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server = new TlsTestServer(state);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private SSLContext client(TlsCertificate certificate) throws Exception {
        return TlsClients.context(pki.caCert, certificate);
    }

    @Test
    void handshakeGivesSecureTransportWithTls13AndAlpnHttp11() throws Exception {
        assertThat(TlsClients.fetch(client(null), server.port()))
                .isEqualTo("secure=true protocol=TLSv1.3 alpn=http/1.1 peer=none errors=[]");
    }

    @Test
    void tls12ClientIsServed() throws Exception {
        assertThat(TlsClients.fetch(client(null), server.port(), "TLSv1.2")).contains("protocol=TLSv1.2");
    }

    @Test
    void noneModeDoesNotAskForAClientCertificate() throws Exception {
        assertThat(TlsClients.fetch(client(alice), server.port())).contains("peer=none errors=[]");
    }

    @Test
    void requestedModeServesAClientWithoutCertificate() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(null), server.port())).contains("peer=none errors=[]");
    }

    @Test
    void requestedModeReportsATrustedChainWithoutErrors() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(alice), server.port())).contains("peer=CN=Alice errors=[]");
    }

    @Test
    void requestedModeServesAnUntrustedClientAndReportsUnknownCa() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(stranger), server.port())).contains("peer=CN=Stranger errors=[UNKNOWN_CA]");
    }

    @Test
    void expiredClientCertificateIsReportedExpiredOnly() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(expiredAlice), server.port())).contains("peer=CN=Alice expired errors=[EXPIRED]");
    }

    @Test
    void notYetValidClientCertificateIsReportedNotActivated() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(futureAlice), server.port())).contains("errors=[NOT_ACTIVATED]");
    }

    @Test
    void systemTrustIsUsedWhenNoDatabaseIsSet() throws Exception {
        state.setTlsDatabase(null);
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);

        assertThat(TlsClients.fetch(client(alice), server.port())).contains("peer=CN=Alice errors=[UNKNOWN_CA]");
    }

    @Test
    void requiredModeAcceptsATrustedChain() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);

        assertThat(TlsClients.fetch(client(alice), server.port())).contains("peer=CN=Alice errors=[]");
    }

    @Test
    void requiredModeRefusesAClientWithoutCertificate() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);

        assertThatThrownBy(() -> TlsClients.fetch(client(null), server.port())).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("TLS handshake");
    }

    @Test
    void requiredModeRefusesAnUntrustedChain() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);

        assertThatThrownBy(() -> TlsClients.fetch(client(stranger), server.port())).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("refused");
    }

    @Test
    void acceptCertificateCanAcceptAnUntrustedChainUnderRequired() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        List<String> asked = new CopyOnWriteArrayList<>();
        server.acceptCertificate = (chain, errors) -> {
            asked.add(chain.get(0).getSubjectX500Principal().getName() + " " + errors);
            return true;
        };

        assertThat(TlsClients.fetch(client(stranger), server.port())).contains("peer=CN=Stranger errors=[UNKNOWN_CA]");
        assertThat(asked).containsExactly("CN=Stranger [UNKNOWN_CA]");
    }

    @Test
    void acceptCertificateCanRefuseAnUntrustedChainUnderRequested() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        server.acceptCertificate = (chain, errors) -> false;

        assertThatThrownBy(() -> TlsClients.fetch(client(stranger), server.port())).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("refused");
    }

    @Test
    void acceptCertificateIsNotAskedAboutATrustedChain() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        AtomicInteger asked = new AtomicInteger();
        server.acceptCertificate = (chain, errors) -> {
            asked.incrementAndGet();
            return false;
        };

        assertThat(TlsClients.fetch(client(alice), server.port())).contains("peer=CN=Alice");
        assertThat(asked).hasValue(0);
    }

    @Test
    void throwingAcceptCertificateRefusesTheChain() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        server.acceptCertificate = (chain, errors) -> {
            throw new IllegalStateException("listener bug");
        };

        assertThatThrownBy(() -> TlsClients.fetch(client(stranger), server.port())).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("refused");
    }

    @Test
    void resumedSessionStillReportsTheChainAndItsErrors() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        AtomicInteger asked = new AtomicInteger();
        server.acceptCertificate = (chain, errors) -> {
            asked.incrementAndGet();
            return true;
        };
        SSLContext context = client(stranger);

        for (int i = 0; i < 3; i++) {
            assertThat(TlsClients.fetch(context, server.port(), "TLSv1.2")).contains("peer=CN=Stranger errors=[UNKNOWN_CA]");
        }
        // the JDK client resumes the first session: later handshakes skip verification
        assertThat(asked).hasValue(1);
    }

    @Test
    void newCertificateAppliesToNewConnectionsOnly() throws Exception {
        SSLContext context = client(null);
        try (SSLSocket before = TlsClients.connect(context, server.port())) {
            TlsCertificate rotated = TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey);
            state.setTlsCertificate(rotated);

            try (SSLSocket after = TlsClients.connect(context, server.port())) {
                assertThat(after.getSession().getPeerCertificates()).hasSize(1);
                assertThat(TlsClients.request(after)).contains("secure=true");
            }
            assertThat(before.getSession().getPeerCertificates()).hasSize(2);
            assertThat(TlsClients.request(before)).contains("secure=true");
        }
    }

    @Test
    void missingCertificateFailsTheHandshakeWithIoException() throws Exception {
        state.setTlsCertificate(null);

        assertThatThrownBy(() -> TlsClients.fetch(client(null), server.port())).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("no TLS certificate");
    }

    @Test
    void silentClientIsCutAtTheHandshakeTimeout() throws Exception {
        state.setLimits(new Limits().setTlsHandshakeTimeout(Duration.ofMillis(300)));
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            raw.setSoTimeout(10_000);
            long start = System.nanoTime();

            assertThat(server.nextOutcome().failure()).hasMessageContaining("timed out after 300 ms");
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        }
    }

    @Test
    void tricklingClientIsCutAtTheDeadlineNotAtEachReadTimeout() throws Exception {
        state.setLimits(new Limits().setTlsHandshakeTimeout(Duration.ofMillis(600)));
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            long start = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = raw.getOutputStream();
                    // a handshake record header announcing 512 bytes, then one byte every 100 ms
                    out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
                    for (int i = 0; i < 100; i++) {
                        out.write(1);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off by the server: expected
                }
            });

            assertThat(server.nextOutcome().failure()).hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            trickle.interrupt();
            trickle.join();
        }
    }

    @Test
    void plainHttpOnTheTlsPortIsClosedPromptly() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

            assertThat(server.nextOutcome().failure()).hasMessageContaining("TLS handshake").hasMessageNotContaining("timed out");
            assertThat(readUntilClosed(raw.getInputStream())).isTrue();
        }
    }

    @Test
    void stalledHandshakeDoesNotDelayOtherClients() throws Exception {
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            long start = System.nanoTime();

            assertThat(TlsClients.fetch(client(null), server.port())).contains("secure=true");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void closingTheTransportFromAnotherThreadEndsAPendingRead() throws Exception {
        try (SSLSocket socket = TlsClients.connect(client(null), server.port())) {
            TlsTestServer.Outcome outcome = server.nextOutcome();
            long start = System.nanoTime();

            outcome.transport().close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
    }

    @Test
    void closingAnIdleTransportSendsCloseNotify() throws Exception {
        try (SSLSocket socket = TlsClients.connect(client(null), server.port())) {
            TlsTestServer.Outcome outcome = server.nextOutcome();

            outcome.transport().close();

            // the JDK client reports a close without close_notify as an SSLException, not as end of stream
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void closingWhileAWriteIsBlockedCutsTheConnectionAtOnce() throws Exception {
        try (SSLSocket socket = TlsClients.connect(client(null), server.port())) {
            TlsTestServer.Outcome outcome = server.nextOutcome();
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (true) {
                        outcome.transport().output().write(chunk);
                    }
                } catch (IOException e) {
                    // cut by close(): expected
                }
            });
            // the client reads nothing: the writer soon blocks on full socket buffers
            while (writer.getState() != Thread.State.WAITING && writer.isAlive()) {
                Thread.onSpinWait();
            }
            long start = System.nanoTime();

            outcome.transport().close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            assertThat(writer.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void acceptCertificateGetsTheWholeChainLeafFirst() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsDatabase(TlsDatabase.fromPemFile(pki.strangerCert));
        List<List<X509Certificate>> chains = new CopyOnWriteArrayList<>();
        List<Set<TlsCertificateFlag>> flags = new CopyOnWriteArrayList<>();
        server.acceptCertificate = (chain, errors) -> {
            chains.add(chain);
            flags.add(errors);
            return true;
        };
        TlsCertificate aliceWithCa = TlsCertificate.fromPem(java.nio.file.Files.readString(pki.clientCert)
                + java.nio.file.Files.readString(pki.caCert) + java.nio.file.Files.readString(pki.clientKey));

        TlsClients.fetch(client(aliceWithCa), server.port());

        assertThat(chains).hasSize(1);
        assertThat(chains.get(0)).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=Alice", "CN=Ladle Test CA");
        assertThat(flags.get(0)).containsExactly(TlsCertificateFlag.UNKNOWN_CA);
    }

    /** Reads until the peer closes; true when it did (EOF or reset) rather than hanging. */
    private static boolean readUntilClosed(InputStream in) {
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
