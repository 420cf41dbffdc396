package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Server.addTlsCertificate}, {@code removeTlsCertificates} and {@code getTlsCertificates}: which
 * names a certificate is filed under, how names are written, what is refused. Which certificate a
 * client then gets is {@link ServerNameIndicationTest}'s subject.
 */
class ServerNameCertificatesApiTest {
    @TempDir
    static Path dir;
    static SniPki certs;
    /** For {@code ok.example.com} and the partial wildcard {@code w*.example.com}. */
    static TestPki.Issued partialWildcard;

    Server server;

    @BeforeAll
    static void createCertificates() throws IOException {
        certs = SniPki.create(dir.resolve("pki"));
        partialWildcard = certs.pki.issueServer("partial", "partial", TestPki.KeyKind.EC,
                "DNS:ok.example.com", "DNS:w*.example.com");
    }

    @BeforeEach
    void create() {
        server = new Server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCertificateIsFiledUnderTheDnsNamesOfItsSubjectAltName() throws Exception {
        TlsCertificate wild = certs.wild.load();
        TlsCertificate b = certs.b.load();

        server.addTlsCertificate(wild);
        server.addTlsCertificate(b);

        assertThat(server.getTlsCertificates()).containsOnlyKeys("*.wild.example", "b.example.com");
        assertThat(server.getTlsCertificates().get("*.wild.example")).containsExactly(wild);
        assertThat(server.getTlsCertificates().get("b.example.com")).containsExactly(b);
        assertThat(server.getTlsCertificate()).as("the default is separate").isNull();
    }

    @Test
    void anRsaAndAnEcdsaCertificateShareAName() throws Exception {
        TlsCertificate ec = certs.aEc.load();
        TlsCertificate rsa = certs.aRsa.load();

        server.addTlsCertificate(ec);
        server.addTlsCertificate(rsa);

        assertThat(server.getTlsCertificates().get("a.example.com")).containsExactly(ec, rsa);
    }

    @Test
    void aCertificateOfTheSameKeyTypeReplacesTheEarlierOneForThatNameOnly() throws Exception {
        TlsCertificate b = certs.b.load();
        TlsCertificate bNext = certs.bNext.load();
        server.addTlsCertificate(b);
        server.addTlsCertificate("c.example.com", b);

        server.addTlsCertificate(bNext);

        assertThat(server.getTlsCertificates().get("b.example.com")).containsExactly(bNext);
        assertThat(server.getTlsCertificates().get("c.example.com")).containsExactly(b);
    }

    @Test
    void anExplicitNameTakesACertificateWhateverNamesItHolds() throws Exception {
        TlsCertificate ipOnly = certs.ipOnly.load();

        server.addTlsCertificate("intranet.example", ipOnly);

        assertThat(server.getTlsCertificates().get("intranet.example")).containsExactly(ipOnly);
    }

    @Test
    void aCertificateWithoutADnsNameIsRefusedNamingIt() {
        assertThatThrownBy(() -> server.addTlsCertificate(certs.ipOnly.load()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CN=ip-only").hasMessageContaining("no DNS host");
        assertThat(server.getTlsCertificates()).isEmpty();
    }

    @Test
    void aCertificateWithAnUnusableNameIsRefusedWhole() {
        assertThatThrownBy(() -> server.addTlsCertificate(partialWildcard.load()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CN=partial").hasMessageContaining("w*.example.com");
        assertThat(server.getTlsCertificates()).as("not even ok.example.com").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "*.", "w*.example.com", "*.*.example.com", "a..example.com", ".example.com",
            "example.com.", "exa mple.com", "under_score.example"})
    void invalidServerNamesAreRefusedNamingThem(String name) {
        assertThatThrownBy(() -> server.addTlsCertificate(name, certs.b.load()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + name + "\"");
        assertThatThrownBy(() -> server.removeTlsCertificates(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAreKeptLowerCaseWithInternationalNamesAsALabels() throws Exception {
        TlsCertificate b = certs.b.load();

        server.addTlsCertificate("Bücher.Example", b);
        server.addTlsCertificate("*.EXAMPLE.com", b);
        server.addTlsCertificate("xn--BCHER-kva.example", certs.bNext.load());

        assertThat(server.getTlsCertificates()).containsOnlyKeys("xn--bcher-kva.example", "*.example.com");
        assertThat(server.getTlsCertificates().get("xn--bcher-kva.example")).singleElement().asString().contains("CN=b-next");
    }

    @Test
    void removingANameRemovesThatPatternOnly() throws Exception {
        server.addTlsCertificate(certs.wild.load());
        server.addTlsCertificate("www.wild.example", certs.b.load());

        assertThat(server.removeTlsCertificates("*.WILD.example")).isTrue();

        assertThat(server.getTlsCertificates()).containsOnlyKeys("www.wild.example");
        assertThat(server.removeTlsCertificates("*.wild.example")).isFalse();
    }

    @Test
    void theListingIsAnUnmodifiableSnapshot() throws Exception {
        server.addTlsCertificate(certs.b.load());
        var listing = server.getTlsCertificates();

        server.addTlsCertificate(certs.wild.load());

        assertThat(listing).containsOnlyKeys("b.example.com");
        assertThatThrownBy(() -> listing.put("x.example", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> listing.get("b.example.com").clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void httpsListeningNeedsOnlyACertificateForAName() throws Exception {
        assertThat(server.isHttps()).isFalse();

        server.addTlsCertificate(certs.b.load());

        assertThat(server.isHttps()).isTrue();
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        assertThat(server.getUris()).extracting(uri -> uri.getScheme()).containsExactly("https");
    }

    @Test
    void removingTheLastCertificateLeavesNoHttps() throws Exception {
        server.addTlsCertificate(certs.b.load());
        server.removeTlsCertificates("b.example.com");

        assertThat(server.isHttps()).isFalse();
        assertThatThrownBy(() -> server.listenLocal(0, EnumSet.of(ListenOption.HTTPS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("addTlsCertificate");
    }
}
