package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS session resumption against a whole {@link Server}: TLS 1.3 tickets and TLS 1.2 session ids and
 * tickets, with {@code openssl s_client -sess_out}/{@code -sess_in} and with the JDK client reusing its
 * {@link SSLContext}; and a resumed connection still carries the client's certificate chain to the
 * message, although a resumed handshake exchanges no certificates.
 */
class SessionResumptionTest {
    private static final String REQUEST = "GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n";

    @TempDir
    static Path dir;
    static TestPki pki;

    Server server;
    int port;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", (HttpsServerTest.describe(msg) + "\n").getBytes(StandardCharsets.UTF_8));
        });
        port = pki.listenHttpsOnLoopback(server).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * One {@code openssl s_client} connection that sends a request and reads the whole answer (so the
     * TLS 1.3 tickets, sent after the handshake, are read too), saving its session to or resuming it
     * from {@code session}.
     */
    private TestPki.ProcessResult sClient(String sessionOption, Path session, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", pki.caCert.toString(), "-verify_return_error",
                "-crlf", "-ign_eof", sessionOption, session.toString()));
        command.addAll(List.of(args));
        TestPki.ProcessResult result = TestPki.exec(command, REQUEST, Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    @Test
    void opensslResumesATls13SessionFromItsTicket() {
        Path session = dir.resolve("tls13.session");

        assertThat(sClient("-sess_out", session, "-tls1_3").output()).contains("New, TLSv1.3").contains("secure=true");
        TestPki.ProcessResult resumed = sClient("-sess_in", session, "-tls1_3");

        assertThat(resumed.output()).contains("Reused, TLSv1.3").contains("HTTP/1.1 200 OK").contains("secure=true");
    }

    @Test
    void opensslResumesATls12SessionByItsId() {
        Path session = dir.resolve("tls12-id.session");

        // -no_ticket: no RFC 5077 ticket, so only the server's session cache can resume it
        TestPki.ProcessResult first = sClient("-sess_out", session, "-tls1_2", "-no_ticket");
        assertThat(first.output()).contains("New, TLSv1.2").doesNotContain("TLS session ticket:");
        TestPki.ProcessResult resumed = sClient("-sess_in", session, "-tls1_2", "-no_ticket");

        assertThat(resumed.output()).contains("Reused, TLSv1.2").contains("HTTP/1.1 200 OK").contains("secure=true");
        assertThat(sessionId(resumed.output())).isNotEmpty().isEqualTo(sessionId(first.output()));
    }

    @Test
    void opensslResumesATls12SessionFromItsTicket() {
        Path session = dir.resolve("tls12-ticket.session");

        assertThat(sClient("-sess_out", session, "-tls1_2").output()).contains("New, TLSv1.2").contains("TLS session ticket:");
        TestPki.ProcessResult resumed = sClient("-sess_in", session, "-tls1_2");

        assertThat(resumed.output()).contains("Reused, TLSv1.2").contains("secure=true");
    }

    @Test
    void opensslResumedTls13ConnectionStillCarriesTheClientChainUnderRequested() {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        Path session = dir.resolve("tls13-client.session");

        assertThat(sClient("-sess_out", session, "-tls1_3", "-cert", pki.clientCert.toString(), "-key", pki.clientKey.toString())
                .output()).contains("New, TLSv1.3").contains("peer=CN=Alice errors=[]");
        // no certificate offered this time: the chain can only come from the resumed session
        TestPki.ProcessResult resumed = sClient("-sess_in", session, "-tls1_3");

        assertThat(resumed.output()).contains("Reused, TLSv1.3").contains("peer=CN=Alice errors=[]");
    }

    @Test
    void opensslResumedTls12ConnectionStillCarriesTheClientChainUnderRequested() {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        Path session = dir.resolve("tls12-client.session");

        assertThat(sClient("-sess_out", session, "-tls1_2", "-no_ticket", "-cert", pki.clientCert.toString(),
                "-key", pki.clientKey.toString()).output()).contains("New, TLSv1.2").contains("peer=CN=Alice errors=[]");
        TestPki.ProcessResult resumed = sClient("-sess_in", session, "-tls1_2", "-no_ticket");

        assertThat(resumed.output()).contains("Reused, TLSv1.2").contains("peer=CN=Alice errors=[]");
    }

    @Test
    void jdkClientResumesTls13() throws Exception {
        CountingTrustManager trust = new CountingTrustManager();
        SSLContext context = jdkClient(trust, null);

        SSLSession first = fetchSession(context, "TLSv1.3", "peer=none");
        SSLSession second = fetchSession(context, "TLSv1.3", "peer=none");

        // a resumed handshake sends no server certificate, so the client verified only the first one
        assertThat(trust.serverChecks).hasValue(1);
        assertThat(second.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(second.getCreationTime()).isEqualTo(first.getCreationTime());
    }

    @Test
    void jdkClientResumesTls12WithTheSameSessionId() throws Exception {
        CountingTrustManager trust = new CountingTrustManager();
        SSLContext context = jdkClient(trust, null);

        SSLSession first = fetchSession(context, "TLSv1.2", "peer=none");
        SSLSession second = fetchSession(context, "TLSv1.2", "peer=none");

        assertThat(trust.serverChecks).hasValue(1);
        assertThat(second.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(second.getId()).isNotEmpty().isEqualTo(first.getId());
    }

    @Test
    void jdkClientResumedTls13ConnectionStillCarriesTheClientChainUnderRequested() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        CountingTrustManager trust = new CountingTrustManager();
        SSLContext context = jdkClient(trust, TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey));

        fetchSession(context, "TLSv1.3", "peer=CN=Alice errors=[]");
        fetchSession(context, "TLSv1.3", "peer=CN=Alice errors=[]");

        assertThat(trust.serverChecks).hasValue(1);
    }

    /** Connects with {@code protocol}, checks the answer describes {@code expected} and returns the session. */
    private SSLSession fetchSession(SSLContext context, String protocol, String expected) throws IOException {
        try (SSLSocket socket = TlsClients.connect(context, port, protocol)) {
            // reading the whole answer also reads the TLS 1.3 ticket, which arrives after the handshake
            assertThat(TlsClients.request(socket)).contains("secure=true").contains(expected);
            return socket.getSession();
        }
    }

    /** A JDK client context trusting the test CA through {@code trust}, presenting {@code certificate} when not null. */
    private static SSLContext jdkClient(CountingTrustManager trust, TlsCertificate certificate) throws Exception {
        KeyManager[] keys = certificate == null ? null : new KeyManager[] {new TlsClients.FixedKeyManager(certificate)};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {trust}, null);
        return context;
    }

    /** The {@code Session-ID:} line of an {@code s_client} session print-out. */
    private static String sessionId(String output) {
        return output.lines().map(String::strip).filter(l -> l.startsWith("Session-ID:"))
                .map(l -> l.substring("Session-ID:".length()).strip()).findFirst().orElse("");
    }

    /**
     * The PKIX trust manager for the test CA, counting the server chains it verifies: the JDK calls it
     * on a full handshake only, so the count tells resumed handshakes from full ones.
     */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        final AtomicInteger serverChecks = new AtomicInteger();
        private final X509ExtendedTrustManager pkix;

        CountingTrustManager() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", TlsCertificate.certificates(TlsCertificate.parse(pki.caCert), "ca").get(0));
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            pkix = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client does not verify client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not verify client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not verify client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
