package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Server;
import java.net.URI;
import java.security.cert.CRLReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TlsRevocation} and {@link TlsRevocationStatus} as values: what they accept and refuse. */
class TlsRevocationTest {
    @Test
    void serverChecksNoRevocationByDefaultAndNullMeansNone() {
        try (Server server = new Server()) {
            assertThat(server.getTlsRevocation()).isSameAs(TlsRevocation.NONE);
            server.setTlsRevocation(TlsRevocation.ocsp());
            assertThat(server.getTlsRevocation().isOcspEnabled()).isTrue();

            server.setTlsRevocation(null);
            assertThat(server.getTlsRevocation()).isSameAs(TlsRevocation.NONE);
            assertThat(TlsRevocation.NONE.isEnabled()).isFalse();
        }
    }

    @Test
    void hardFailIsTheDefault() {
        assertThat(TlsRevocation.ocsp().isSoftFail()).isFalse();
        assertThat(TlsRevocation.builder().ocsp(true).softFail(true).build().isSoftFail()).isTrue();
    }

    @Test
    void settingsWithoutCrlOrOcspAreRefused() {
        assertThatThrownBy(() -> TlsRevocation.builder().softFail(true).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TlsRevocation.NONE");
        assertThatThrownBy(TlsRevocation::fromCrlFiles).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ocspResponderMustBeAnAbsoluteHttpUri() {
        assertThatThrownBy(() -> TlsRevocation.builder().ocspResponder(URI.create("ldap://ca.example/"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ldap://ca.example/");
        assertThatThrownBy(() -> TlsRevocation.builder().ocspResponder(URI.create("/ocsp"))).isInstanceOf(IllegalArgumentException.class);

        TlsRevocation revocation = TlsRevocation.builder().ocspResponder(URI.create("http://ocsp.example:8080/")).build();
        assertThat(revocation.isOcspEnabled()).isTrue();
        assertThat(revocation.getOcspResponder()).hasToString("http://ocsp.example:8080/");
    }

    @Test
    void turningOcspOffForgetsTheResponder() {
        TlsRevocation.Builder builder = TlsRevocation.builder().ocspResponder(URI.create("http://ocsp.example/")).ocsp(false);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThat(builder.ocsp(true).build().getOcspResponder()).isNull();
    }

    @Test
    void reloadOfSettingsWithoutCrlFilesGivesThemBack() throws Exception {
        TlsRevocation ocsp = TlsRevocation.ocsp();

        assertThat(ocsp.reload()).isSameAs(ocsp);
        assertThat(TlsRevocation.NONE.reload()).isSameAs(TlsRevocation.NONE);
    }

    @Test
    void statusWhoseFieldsDoNotFitItsStateIsRefused() {
        assertThatThrownBy(() -> new TlsRevocationStatus(TlsRevocationStatus.State.GOOD, null, CRLReason.KEY_COMPROMISE, null, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsRevocationStatus(TlsRevocationStatus.State.REVOKED, null, CRLReason.KEY_COMPROMISE, Instant.EPOCH, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> new TlsRevocationStatus(TlsRevocationStatus.State.UNDETERMINED, null, null, null, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TlsRevocationStatus.notChecked().state()).isEqualTo(TlsRevocationStatus.State.NOT_CHECKED);
        assertThat(TlsRevocationStatus.good().isRevoked()).isFalse();
    }
}
