package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NonceCodecTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    @Test
    void nonceCarriesItsIssueTime() {
        NonceCodec codec = new NonceCodec(SECRET, "r");
        assertThat(codec.verify(codec.issue(1_700_000_000_123L))).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void anotherInstanceWithTheSameSecretVerifiesIt() {
        String nonce = new NonceCodec(SECRET, "r").issue(42);
        assertThat(new NonceCodec(SECRET.clone(), "r").verify(nonce)).isEqualTo(42);
    }

    @Test
    void anotherSecretOrRealmRejectsIt() {
        String nonce = new NonceCodec(SECRET, "r").issue(42);
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        assertThat(new NonceCodec(other, "r").verify(nonce)).isEqualTo(Long.MIN_VALUE);
        assertThat(new NonceCodec(SECRET, "other realm").verify(nonce)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void tamperedTimeIsRejected() {
        NonceCodec codec = new NonceCodec(SECRET, "r");
        byte[] raw = Base64.getUrlDecoder().decode(codec.issue(42));
        raw[7] ^= 1;
        assertThat(codec.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void garbageIsRejectedWithoutThrowing() {
        NonceCodec codec = new NonceCodec(SECRET, "r");
        for (String junk : new String[] {"", "%%%", "abc", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "A".repeat(43)}) {
            assertThat(codec.verify(junk)).as(junk).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void noncesIssuedTogetherDiffer() {
        NonceCodec codec = new NonceCodec(SECRET, "r");
        assertThat(codec.issue(5)).isNotEqualTo(codec.issue(5));
    }

    @Test
    void shortSecretIsRefused() {
        assertThatThrownBy(() -> new NonceCodec(Arrays.copyOf(SECRET, 15), "r"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
