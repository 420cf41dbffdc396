package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TrustedProxies}: which entries it takes, which addresses it trusts, and how it refuses bad entries. */
class TrustedProxiesTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void addressesAndRangesOfBothFamiliesAreTrusted() throws Exception {
        TrustedProxies p = TrustedProxies.of("192.0.2.7", "10.0.0.0/8", "172.16.0.0/12", "::1", "[2001:db8::]/32", "0.0.0.0/0 ".trim());
        assertThat(p.trusts(ip("192.0.2.7"))).isTrue();
        assertThat(p.trusts(ip("10.255.1.2"))).isTrue();
        assertThat(p.trusts(ip("172.31.255.255"))).isTrue();
        assertThat(p.trusts(ip("2001:db8:1234::5"))).isTrue();
        assertThat(p.trusts(ip("::1"))).isTrue();
        assertThat(p.trusts(ip("2001:db9::1"))).isFalse();
        TrustedProxies narrow = TrustedProxies.of("192.0.2.7", "10.0.0.0/8", "172.16.0.0/12", "2001:db8::/32");
        assertThat(narrow.trusts(ip("192.0.2.8"))).isFalse();
        assertThat(narrow.trusts(ip("172.32.0.1"))).isFalse();
        assertThat(narrow.trusts(ip("11.0.0.1"))).isFalse();
        assertThat(narrow.trusts(new InetSocketAddress(ip("10.1.1.1"), 80))).isTrue();
    }

    @Test
    void ipv4MappedRangeIsTheIpv4Range() throws Exception {
        TrustedProxies p = TrustedProxies.of("::ffff:10.0.0.0/104");
        assertThat(p.entries()).containsExactly("10.0.0.0/8");
        assertThat(p.trusts(ip("10.9.9.9"))).isTrue();
    }

    @Test
    void noneTrustsNobodyAndUnixPeersOnlyWhenNamed() throws Exception {
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.trusts(ip("127.0.0.1"))).isFalse();
        assertThat(TrustedProxies.NONE.trusts((java.net.SocketAddress) null)).isFalse();
        UnixDomainSocketAddress unix = UnixDomainSocketAddress.of("");
        assertThat(TrustedProxies.of("127.0.0.1").trusts(unix)).isFalse();
        assertThat(TrustedProxies.of("UNIX").trusts(unix)).isTrue();
        assertThat(TrustedProxies.of("unix").isEmpty()).isFalse();
    }

    @Test
    void entriesAreGivenInTheirNormalFormAndEqualityFollowsThem() {
        TrustedProxies p = TrustedProxies.of("10.0.0.0/8", "2001:DB8:0:0::1", "unix", "10.0.0.0/8");
        assertThat(p.entries()).isEqualTo(List.of("10.0.0.0/8", "2001:db8::1/128", "unix"));
        assertThat(p).isEqualTo(TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8::1", "unix")));
        assertThat(p).isNotEqualTo(p.withHeaders(TrustedProxies.Header.FORWARDED));
        assertThat(p.headers()).containsExactlyInAnyOrder(TrustedProxies.Header.FORWARDED, TrustedProxies.Header.X_FORWARDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/abc",
        "10.0.0.0/-1", "010.0.0.1", "10.0.0", "fe80::1%eth0", "[10.0.0.1]", "10.0.0.0/8/8"})
    void entriesThatAreNotAddressesOrRangesAreRefusedByName(String entry) {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of(entry)).withMessageContaining("\"" + entry + "\"");
    }

    @Test
    void rangeWithBitsPastItsPrefixIsRefusedWithTheRangeMeant() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of("10.0.0.1/8"))
                .withMessageContaining("did you mean 10.0.0.0/8");
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of("2001:db8::1/32"))
                .withMessageContaining("did you mean 2001:db8::/32");
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.of("10.0.0.0/8").withHeaders());
    }
}
