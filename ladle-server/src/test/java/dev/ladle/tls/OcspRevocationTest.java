package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.server.internal.ServerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates checked with OCSP against a real responder ({@code openssl ocsp}) answering from
 * the index that {@code openssl ca} keeps, through {@code TlsHandshaker} with JDK clients.
 */
class OcspRevocationTest {
    @TempDir
    static Path dir;
    static RevocationPki pki;
    static OcspResponder responder;
    static TlsCertificate serverCertificate;
    static TlsCertificate alice;
    static TlsCertificate mallory;
    /** Names the responder in its authority information access extension. */
    static TlsCertificate oscar;
    /** Revoked by the resumption test. */
    static TlsCertificate erin;
    static Path erinCert;

    ServerState state;
    TlsTestServer server;

    @BeforeAll
    static void createPkiAndStartResponder() throws IOException {
        pki = RevocationPki.create(dir.resolve("pki"));
        responder = OcspResponder.start(pki.rootIndex, pki.caCert, pki.caKey);
        Path aia = pki.dir.resolve("aia.cnf");
        Files.writeString(aia, """
                [client_aia]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = clientAuth
                authorityInfoAccess = OCSP;URI:http://127.0.0.1:%d/
                """.formatted(responder.port()));
        Path oscarCert = pki.dir.resolve("oscar.crt");
        pki.issue("root", pki.clientKey, "/CN=Oscar", "client_aia", aia, oscarCert);
        erinCert = pki.dir.resolve("erin.crt");
        pki.issue("root", pki.clientKey, "/CN=Erin", "client", null, erinCert);
        // the responder reads the index at start only
        responder.restart();
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey);
        alice = pki.client(pki.alice);
        mallory = pki.client(pki.mallory);
        oscar = pki.client(oscarCert);
        erin = pki.client(erinCert);
    }

    @AfterAll
    static void stopResponder() {
        if (responder != null) {
            responder.close();
        }
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

    private String fetch(TlsCertificate client) throws Exception {
        return TlsClients.fetch(TlsClients.context(pki.caCert, client), server.port());
    }

    private TlsRevocationStatus revocation() throws InterruptedException {
        TlsTestServer.Outcome outcome = server.nextOutcome();
        assertThat(outcome.failure()).isNull();
        return outcome.transport().peerCertificateRevocation();
    }

    private static TlsRevocation ocspAt(URI responderUri) {
        return TlsRevocation.builder().ocspResponder(responderUri).build();
    }

    /** Returns the URI of a port where nothing listens. */
    private static URI responderDown() throws IOException {
        try (ServerSocket closed = new ServerSocket()) {
            closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return URI.create("http://127.0.0.1:" + closed.getLocalPort() + "/");
        }
    }

    @Test
    void goodCertificateIsServedWithoutErrors() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(ocspAt(responder.uri()));

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.GOOD);
    }

    @Test
    void revokedCertificateUnderRequestedIsServedWithRevokedAndTheRespondersReason() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(ocspAt(responder.uri()));

        assertThat(fetch(mallory)).endsWith("peer=CN=Mallory errors=[REVOKED]");
        TlsRevocationStatus status = revocation();
        X509Certificate malloryCertificate = mallory.getCertificateChain().get(0);
        assertThat(status.certificate()).isEqualTo(malloryCertificate);
        assertThat(status.reason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        // the CRL made from the same index carries the same date
        assertThat(status.revocationDate()).isEqualTo(TlsRevocation.fromCrlFiles(pki.rootCrl).getCrls().get(0)
                .getRevokedCertificate(malloryCertificate).getRevocationDate().toInstant());
    }

    @Test
    void revokedCertificateUnderRequiredFailsTheHandshake() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(ocspAt(responder.uri()));

        assertThatThrownBy(() -> fetch(mallory)).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("REVOKED");
    }

    @Test
    void responderNamedInTheCertificateIsAskedWhenNoneIsSet() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(TlsRevocation.ocsp());

        assertThat(fetch(oscar)).endsWith("peer=CN=Oscar errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.GOOD);
    }

    @Test
    void certificateNamingNoResponderIsUndeterminedWhenNoneIsSet() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(TlsRevocation.ocsp());

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[GENERIC_ERROR]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
    }

    @Test
    void responderDownUnderHardFailRefusesTheClientUnderRequired() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(ocspAt(responderDown()));

        assertThatThrownBy(() -> fetch(alice)).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("GENERIC_ERROR");
    }

    @Test
    void responderDownUnderSoftFailServesTheClientWithoutErrorsButUndetermined() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(TlsRevocation.builder().ocspResponder(responderDown()).softFail(true).build());

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[]");
        TlsRevocationStatus status = revocation();
        assertThat(status.state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
        assertThat(status.detail()).isNotEmpty();
    }

    @Test
    void crlsAnswerWhenTheResponderIsDown() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(TlsRevocation.builder().ocspResponder(responderDown()).crlFile(pki.rootCrl).build());

        assertThat(fetch(mallory)).endsWith("peer=CN=Mallory errors=[REVOKED]");
        assertThat(revocation().reason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.GOOD);
    }

    @Test
    void resumedSessionOfACertificateRevokedSinceIsRefusedUnderRequired() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(ocspAt(responder.uri()));
        SSLContext client = TlsClients.context(pki.caCert, erin);
        byte[] session;
        try (SSLSocket first = TlsClients.connect(client, server.port(), "TLSv1.2")) {
            session = first.getSession().getId();
            assertThat(TlsClients.request(first)).endsWith("peer=CN=Erin errors=[]");
        }
        try (SSLSocket second = TlsClients.connect(client, server.port(), "TLSv1.2")) {
            assertThat(second.getSession().getId()).as("resumed").isEqualTo(session);
            assertThat(TlsClients.request(second)).endsWith("peer=CN=Erin errors=[]");
        }
        server.nextOutcome();
        server.nextOutcome();

        pki.revoke("root", erinCert, "affiliationChanged");
        responder.restart();

        try (SSLSocket third = TlsClients.connect(client, server.port(), "TLSv1.2")) {
            assertThat(third.getSession().getId()).as("resumed").isEqualTo(session);
            assertThat(answered(third)).isFalse();
        }
        assertThat(server.nextOutcome().failure()).hasMessageContaining("resumed").hasMessageContaining("REVOKED");
    }

    /** Sends a request and returns true when a response came, false when the server closed instead. */
    private static boolean answered(SSLSocket socket) {
        try {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
