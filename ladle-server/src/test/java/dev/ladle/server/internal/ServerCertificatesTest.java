package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import dev.ladle.tls.TlsCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate snapshot: which certificates a server name may get, one per key type per name, and
 * that only a real change makes a new snapshot and so a new TLS context. Handshakes with real clients
 * are in {@code dev.ladle.tls.ServerNameIndicationTest}.
 */
class ServerCertificatesTest {
    @TempDir
    static Path dir;
    static TlsCertificate fallback;
    static TlsCertificate ecA;
    static TlsCertificate rsaA;
    static TlsCertificate ecB;
    static TlsCertificate ecWild;

    @BeforeAll
    static void createCertificates() throws Exception {
        fallback = selfSigned("fallback", "ec", "DNS:localhost");
        ecA = selfSigned("ec-a", "ec", "DNS:a.example.com");
        rsaA = selfSigned("rsa-a", "rsa", "DNS:a.example.com");
        ecB = selfSigned("ec-b", "ec", "DNS:b.example.com");
        ecWild = selfSigned("ec-wild", "ec", "DNS:*.wild.example");
    }

    /** A self-signed certificate made by openssl, with a P-256 ({@code ec}) or 2048-bit RSA ({@code rsa}) key. */
    private static TlsCertificate selfSigned(String name, String keyKind, String subjectAltName) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=" + subjectAltName, "-keyout", key.toString(),
                "-out", cert.toString()));
        command.addAll(keyKind.equals("rsa") ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed: " + output);
        }
        return TlsCertificate.fromPemFiles(cert, key);
    }

    private static ServerCertificates all() {
        return ServerCertificates.EMPTY.withDefault(fallback).with(null, ecA).with(null, rsaA).with(null, ecB).with(null, ecWild);
    }

    @Test
    void anExactNameGetsItsCertificatesOnePerKeyType() {
        assertThat(all().forServerName("a.example.com")).containsExactly(ecA, rsaA);
        assertThat(all().forServerName("b.example.com")).containsExactly(ecB);
    }

    @Test
    void aWildcardCoversExactlyOneMoreLabel() {
        assertThat(all().forServerName("www.wild.example")).containsExactly(ecWild);
        assertThat(all().forServerName("a.b.wild.example")).containsExactly(fallback);
        assertThat(all().forServerName("wild.example")).containsExactly(fallback);
    }

    @Test
    void anExactNameWinsOverTheWildcardCoveringIt() {
        ServerCertificates certificates = all().with(List.of("www.wild.example"), ecB);

        assertThat(certificates.forServerName("www.wild.example")).containsExactly(ecB);
        assertThat(certificates.forServerName("api.wild.example")).containsExactly(ecWild);
    }

    @Test
    void noNameAndUnknownNamesGetTheDefault() {
        assertThat(all().forServerName(null)).containsExactly(fallback);
        assertThat(all().forServerName("unknown.example")).containsExactly(fallback);
        assertThat(all().forServerName("localhost")).as("the default's own name is not registered").containsExactly(fallback);
    }

    @Test
    void withoutADefaultTheNameAddedFirstAnswers() {
        ServerCertificates certificates = all().withDefault(null);

        assertThat(certificates.forServerName(null)).containsExactly(ecA, rsaA);
        assertThat(certificates.without("a.example.com").forServerName("unknown.example")).containsExactly(ecB);
        assertThat(ServerCertificates.EMPTY.forServerName(null)).isEmpty();
    }

    @Test
    void aCertificateOfAKeyTypeTheNameHasReplacesTheOldOneForThatNameOnly() {
        // ecB serves c too; then another EC certificate takes b's place
        ServerCertificates certificates = all().with(List.of("c.example.com"), ecB).with(List.of("b.example.com"), ecWild);

        assertThat(certificates.byName().get("b.example.com")).containsExactly(ecWild);
        assertThat(certificates.byName().get("c.example.com")).containsExactly(ecB);
        assertThat(certificates.byName().get("a.example.com")).containsExactly(ecA, rsaA);
        assertThat(certificates.byName().keySet()).as("names keep their first place")
                .containsExactly("a.example.com", "b.example.com", "*.wild.example", "c.example.com");
    }

    @Test
    void settingTheSameDefaultAgainKeepsTheSnapshotAndTheTlsContext() {
        ServerState state = new ServerState(new Server(), null);
        state.setTlsCertificate(fallback);
        ServerCertificates before = state.tlsCertificates();
        TlsContext context = TlsHandshaker.contextFor(state);

        state.setTlsCertificate(fallback);

        assertThat(state.tlsCertificates()).isSameAs(before);
        assertThat(TlsHandshaker.contextFor(state)).isSameAs(context);
    }

    @Test
    void anyCertificateChangeBuildsANewTlsContext() {
        ServerState state = new ServerState(new Server(), null);
        state.setTlsCertificate(fallback);
        TlsContext first = TlsHandshaker.contextFor(state);

        state.updateTlsCertificates(certificates -> certificates.with(null, ecB));
        TlsContext second = TlsHandshaker.contextFor(state);
        state.updateTlsCertificates(certificates -> certificates.without("b.example.com"));
        TlsContext third = TlsHandshaker.contextFor(state);

        assertThat(second).isNotSameAs(first);
        assertThat(third).isNotSameAs(second);
        assertThat(TlsHandshaker.contextFor(state)).isSameAs(third);
    }

    @Test
    void removingANameThatHasNoCertificateKeepsTheSnapshot() {
        ServerCertificates certificates = all();

        assertThat(certificates.without("nothing.example")).isSameAs(certificates);
    }
}
