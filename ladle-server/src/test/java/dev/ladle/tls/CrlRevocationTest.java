package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.server.internal.ServerState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates checked against CRL files made by {@code openssl ca}: on real sockets through
 * {@code TlsHandshaker} with JDK clients, and end to end through {@link Server} with the JDK's HttpClient.
 */
class CrlRevocationTest {
    @TempDir
    static Path dir;
    static RevocationPki pki;
    static TlsCertificate serverCertificate;
    static TlsCertificate alice;
    static TlsCertificate mallory;
    static TlsCertificate carol;
    static TlsCertificate dave;

    ServerState state;
    TlsTestServer server;

    @BeforeAll
    static void createPki() throws IOException {
        pki = RevocationPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverCert, pki.serverKey);
        alice = pki.client(pki.alice);
        mallory = pki.client(pki.mallory);
        carol = pki.client(pki.carolChain);
        dave = pki.client(pki.daveChain);
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

    /** Connects presenting {@code client}, sends one request and returns the server's description. */
    private String fetch(TlsCertificate client) throws Exception {
        return TlsClients.fetch(TlsClients.context(pki.caCert, client), server.port());
    }

    /** Returns the revocation status of the handshake the last {@link #fetch} made. */
    private TlsRevocationStatus revocation() throws InterruptedException {
        TlsTestServer.Outcome outcome = server.nextOutcome();
        assertThat(outcome.failure()).isNull();
        return outcome.transport().peerCertificateRevocation();
    }

    private static TlsRevocation crls(Path... files) throws IOException {
        return TlsRevocation.fromCrlFiles(files);
    }

    private static TlsRevocation softFailCrls(Path... files) throws IOException {
        TlsRevocation.Builder builder = TlsRevocation.builder().softFail(true);
        for (Path file : files) {
            builder.crlFile(file);
        }
        return builder.build();
    }

    @Test
    void goodCertificateIsServedWithoutErrors() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(crls(pki.rootCrl));

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.GOOD);
    }

    @Test
    void revokedCertificateUnderRequestedIsServedWithRevokedAndItsReasonAndDate() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(crls(pki.rootCrl));

        assertThat(fetch(mallory)).endsWith("peer=CN=Mallory errors=[REVOKED]");
        TlsRevocationStatus status = revocation();
        X509Certificate malloryCertificate = mallory.getCertificateChain().get(0);
        X509CRL crl = TlsRevocation.fromCrlFiles(pki.rootCrl).getCrls().get(0);
        assertThat(status.state()).isEqualTo(TlsRevocationStatus.State.REVOKED);
        assertThat(status.certificate()).isEqualTo(malloryCertificate);
        assertThat(status.reason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(status.revocationDate()).isEqualTo(crl.getRevokedCertificate(malloryCertificate).getRevocationDate().toInstant());
    }

    @Test
    void revokedCertificateUnderRequiredFailsTheHandshake() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(crls(pki.rootCrl));

        assertThatThrownBy(() -> fetch(mallory)).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("refused").hasMessageContaining("REVOKED");
    }

    @Test
    void withoutRevocationCheckingARevokedCertificateIsAccepted() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);

        assertThat(fetch(mallory)).endsWith("peer=CN=Mallory errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.NOT_CHECKED);
    }

    @Test
    void acceptCertificateListenerSeesRevokedAndMayAcceptIt() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(crls(pki.rootCrl));
        List<String> asked = new CopyOnWriteArrayList<>();
        server.acceptCertificate = (chain, errors) -> {
            asked.add(chain.get(0).getSubjectX500Principal().getName() + " " + errors);
            return true;
        };

        assertThat(fetch(mallory)).endsWith("peer=CN=Mallory errors=[REVOKED]");
        assertThat(asked).containsExactly("CN=Mallory [REVOKED]");
    }

    @Test
    void expiredCrlUnderHardFailIsAnErrorUnderRequested() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(crls(pki.expiredRootCrl));

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[GENERIC_ERROR]");
        TlsRevocationStatus status = revocation();
        assertThat(status.state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
        assertThat(status.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Alice");
    }

    @Test
    void expiredCrlUnderHardFailRefusesTheClientUnderRequired() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(crls(pki.expiredRootCrl));

        assertThatThrownBy(() -> fetch(alice)).isInstanceOf(IOException.class);
        assertThat(server.nextOutcome().failure()).hasMessageContaining("GENERIC_ERROR");
    }

    @Test
    void expiredCrlUnderSoftFailServesTheClientWithoutErrorsButUndetermined() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(softFailCrls(pki.expiredRootCrl));

        assertThat(fetch(alice)).endsWith("peer=CN=Alice errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
    }

    @Test
    void certificateOfAnIssuerWithoutCrlIsAnErrorUnderHardFail() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(crls(pki.rootCrl));

        assertThat(fetch(carol)).endsWith("peer=CN=Carol errors=[GENERIC_ERROR]");
        TlsRevocationStatus status = revocation();
        assertThat(status.state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
        assertThat(status.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Carol");
    }

    @Test
    void certificateOfAnIssuerWithoutCrlIsServedUnderSoftFail() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(softFailCrls(pki.rootCrl));

        assertThat(fetch(carol)).endsWith("peer=CN=Carol errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.UNDETERMINED);
    }

    @Test
    void chainThroughAnIntermediateIsGoodWhenEveryIssuerHasACrl() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUIRED);
        state.setTlsRevocation(crls(pki.rootCrl, pki.subCrl));

        assertThat(fetch(carol)).endsWith("peer=CN=Carol errors=[]");
        assertThat(revocation().state()).isEqualTo(TlsRevocationStatus.State.GOOD);
    }

    @Test
    void certificateRevokedByAnIntermediateIsRevokedWithItsReason() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(crls(pki.rootCrl, pki.subCrl));

        assertThat(fetch(dave)).endsWith("peer=CN=Dave errors=[REVOKED]");
        TlsRevocationStatus status = revocation();
        assertThat(status.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Dave");
        assertThat(status.reason()).isEqualTo(CRLReason.SUPERSEDED);
    }

    @Test
    void revokedLeafIsFoundEvenWhenTheStatusOfItsIntermediateIsUndetermined() throws Exception {
        // the root's CRL is missing, so the intermediate is undetermined; soft-fail must not stop there
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        state.setTlsRevocation(softFailCrls(pki.subCrl));

        assertThat(fetch(dave)).endsWith("peer=CN=Dave errors=[REVOKED]");
        assertThat(revocation().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Dave");
    }

    @Test
    void crlsAreReadWhenSetAndReloadReadsTheFileAgainForLaterConnections() throws Exception {
        state.setTlsAuthMode(TlsAuthMode.REQUESTED);
        Path current = dir.resolve("current.crl");
        Files.copy(pki.rootCrlBefore, current, StandardCopyOption.REPLACE_EXISTING);
        state.setTlsRevocation(crls(current));
        assertThat(fetch(mallory)).endsWith("errors=[]");

        Files.copy(pki.rootCrl, current, StandardCopyOption.REPLACE_EXISTING);
        assertThat(fetch(mallory)).as("the file is not read again by itself").endsWith("errors=[]");

        state.setTlsRevocation(state.tlsRevocation().reload());
        assertThat(fetch(mallory)).endsWith("errors=[REVOKED]");
    }

    @Test
    void derAndPemCrlFilesAreReadAlike() throws Exception {
        Path der = dir.resolve("root.der");
        TestPki.openssl("crl", "-in", pki.rootCrl.toString(), "-outform", "DER", "-out", der.toString());

        assertThat(TlsRevocation.fromCrlFiles(der).getCrls()).isEqualTo(TlsRevocation.fromCrlFiles(pki.rootCrl).getCrls());
        assertThat(TlsRevocation.fromCrlFiles(der).getCrlFiles()).containsExactly(der);
    }

    @Test
    void pemFileWithSeveralCrlsGivesThemAll() throws Exception {
        Path both = dir.resolve("both.crl");
        Files.writeString(both, Files.readString(pki.rootCrl) + Files.readString(pki.subCrl));

        assertThat(TlsRevocation.fromCrlFiles(both).getCrls()).extracting(crl -> crl.getIssuerX500Principal().getName())
                .containsExactly("CN=Revocation Test CA", "CN=Revocation Test Sub CA");
    }

    @Test
    void fileWithoutACrlIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> TlsRevocation.fromCrlFiles(pki.caCert)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(pki.caCert.toString()).hasMessageContaining("no CRL");
    }

    @Test
    void unreadableDerCrlIsRefusedNamingTheFile() throws Exception {
        Path garbage = dir.resolve("garbage.crl");
        Files.write(garbage, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});

        assertThatThrownBy(() -> TlsRevocation.fromCrlFiles(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.toString()).hasMessageContaining("unreadable CRL");
    }

    @Test
    void missingCrlFileThrowsIoException() {
        Path missing = dir.resolve("missing.crl");

        assertThatThrownBy(() -> TlsRevocation.fromCrlFiles(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void revocationReachesTheMessageOverHttp2AndHttp11() throws Exception {
        Server https = new Server();
        try {
            https.setTlsCertificate(serverCertificate);
            https.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
            https.setTlsAuthMode(TlsAuthMode.REQUESTED);
            https.setTlsRevocation(crls(pki.rootCrl));
            https.addHandler("/", (s, msg, path, query) -> {
                msg.setStatus(200);
                TlsRevocationStatus status = msg.getTlsPeerCertificateRevocation();
                msg.setResponse("text/plain", (msg.getHttpVersion() + " " + msg.getTlsPeerCertificateErrors() + " " + status.state()
                        + " " + status.reason()).getBytes(StandardCharsets.UTF_8));
            });
            https.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
            URI uri = https.getUris().get(0);

            assertThat(get(mallory, HttpClient.Version.HTTP_2, uri)).isEqualTo("HTTP/2 [REVOKED] REVOKED KEY_COMPROMISE");
            assertThat(get(mallory, HttpClient.Version.HTTP_1_1, uri)).isEqualTo("HTTP/1.1 [REVOKED] REVOKED KEY_COMPROMISE");
            assertThat(get(alice, HttpClient.Version.HTTP_2, uri)).isEqualTo("HTTP/2 [] GOOD null");
        } finally {
            https.close();
        }
    }

    private static String get(TlsCertificate client, HttpClient.Version version, URI uri) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(TlsClients.context(pki.caCert, client)).version(version)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
