package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The named profiles, explicit ones and their validation (handshakes: {@link TlsProfileHandshakeTest}). */
class TlsProfileTest {
    @Test
    void intermediateOffersTls13AndTls12WithAeadSuitesThatHaveForwardSecrecyOnly() {
        TlsProfile profile = TlsProfile.INTERMEDIATE;

        assertThat(profile.name()).isEqualTo("intermediate");
        assertThat(profile.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(profile.cipherSuites()).allSatisfy(suite -> {
            if (suite.contains("_WITH_")) {
                assertThat(suite).matches("TLS_(ECDHE_ECDSA|ECDHE_RSA|DHE_RSA)_WITH_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)");
            } else {
                assertThat(suite).isIn("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
            }
        });
        assertThat(profile.cipherSuites()).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void intermediateSuitesAreAllSupportedByTheJdk() throws Exception {
        List<String> supported = Arrays.asList(javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());

        assertThat(supported).containsAll(TlsProfile.INTERMEDIATE.cipherSuites());
    }

    @Test
    void modernOffersTls13Only() {
        assertThat(TlsProfile.MODERN.name()).isEqualTo("modern");
        assertThat(TlsProfile.MODERN.protocols()).containsExactly("TLSv1.3");
        assertThat(TlsProfile.MODERN.cipherSuites())
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void anExplicitProfileKeepsTheGivenOrderAndCountsARepeatedNameOnce() {
        TlsProfile profile = TlsProfile.of(List.of("TLSv1.2", "TLSv1.3", "TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"));

        assertThat(profile.name()).isEqualTo("custom");
        assertThat(profile.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(profile.cipherSuites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384");
        assertThat(profile.summary()).isEqualTo("TLSv1.2, TLSv1.3 with 2 cipher suites");
    }

    @Test
    void anExplicitProfileIsACopyOfTheGivenLists() {
        List<String> protocols = new ArrayList<>(List.of("TLSv1.3"));
        TlsProfile profile = TlsProfile.of(protocols, List.of("TLS_AES_128_GCM_SHA256"));

        protocols.add("TLSv1.2");

        assertThat(profile.protocols()).containsExactly("TLSv1.3");
        assertThatThrownBy(() -> profile.protocols().add("TLSv1.2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEmptyProtocolListIsRefused() {
        assertThatThrownBy(() -> TlsProfile.of(List.of(), List.of("TLS_AES_128_GCM_SHA256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no TLS protocol given");
    }

    @Test
    void anEmptySuiteListIsRefused() {
        assertThatThrownBy(() -> TlsProfile.of(List.of("TLSv1.3"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no cipher suite given");
    }

    @Test
    void anUnknownProtocolIsRefusedByName() {
        assertThatThrownBy(() -> TlsProfile.of(List.of("TLSv1.3", "TLSv1.4"), List.of("TLS_AES_128_GCM_SHA256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown TLS protocol 'TLSv1.4'");
    }

    @Test
    void anUnknownSuiteIsRefusedByName() {
        assertThatThrownBy(() -> TlsProfile.of(List.of("TLSv1.2"), List.of("ECDHE-RSA-AES128-GCM-SHA256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA256'");
    }

    @Test
    void tls13WithoutATls13SuiteIsRefused() {
        assertThatThrownBy(() -> TlsProfile.of(List.of("TLSv1.3", "TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no listed cipher suite can be used with TLSv1.3");
    }

    @Test
    void tls12WithOnlyTls13SuitesIsRefused() {
        assertThatThrownBy(() -> TlsProfile.of(List.of("TLSv1.2"), List.of("TLS_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no listed cipher suite can be used with TLSv1.2");
    }

    @Test
    void namedFindsTheProfilesInAnyCaseAndRefusesOtherNames() {
        assertThat(TlsProfile.named("intermediate")).isSameAs(TlsProfile.INTERMEDIATE);
        assertThat(TlsProfile.named("MODERN")).isSameAs(TlsProfile.MODERN);
        assertThatThrownBy(() -> TlsProfile.named("old"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown TLS profile 'old' (known: intermediate, modern)");
    }

    @Test
    void toStringSaysWhatTheProfileEnables() {
        assertThat(TlsProfile.MODERN.toString()).isEqualTo("modern (TLS 1.3 only): protocols [TLSv1.3], cipher suites "
                + "[TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256]");
        assertThat(TlsProfile.INTERMEDIATE.toString()).startsWith("intermediate (TLS 1.3, TLS 1.2 AEAD+FS): protocols [TLSv1.3, TLSv1.2]")
                .contains("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void profilesWithTheSameContentAreEqual() {
        TlsProfile a = TlsProfile.of(List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"));
        TlsProfile b = TlsProfile.of(List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(TlsProfile.MODERN);
    }

    @Test
    void aServerUsesIntermediateUntilToldOtherwise() {
        try (Server server = new Server()) {
            assertThat(server.getTlsProfile()).isSameAs(TlsProfile.INTERMEDIATE);
            server.setTlsProfile(TlsProfile.MODERN);
            assertThat(server.getTlsProfile()).isSameAs(TlsProfile.MODERN);
            assertThatThrownBy(() -> server.setTlsProfile(null)).isInstanceOf(NullPointerException.class);
        }
    }
}
