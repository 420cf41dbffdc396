package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code Forwarded} syntax of RFC 7239 section 4 as {@link ForwardedField} reads it, on exact values. */
class ForwardedFieldTest {

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void elementsOfSeveralLinesAreOneListInOrder() throws Exception {
        List<ForwardedHop> hops = ForwardedField.parse(List.of("for=192.0.2.43, for=\"[2001:db8:cafe::17]\"", "For=198.51.100.17;by=203.0.113.60;proto=HTTPS;host=example.com"));
        assertThat(hops).containsExactly(
                new ForwardedHop(at("192.0.2.43", 0), null, null),
                new ForwardedHop(at("2001:db8:cafe::17", 0), null, null),
                new ForwardedHop(at("198.51.100.17", 0), "https", "example.com"));
    }

    @Test
    void quotedStringsAreUnescapedAndSpacesAroundDelimitersSkipped() throws Exception {
        List<ForwardedHop> hops = ForwardedField.parse(List.of(" for = 1.2.3.4 ", "for=\"\\[2001:db8::1\\]:80\" ;  host=\"a\\.example\" ,"));
        // "for = x" has a space before "=": not a pair; the second element's quoted-pairs stand for their characters
        assertThat(hops).containsExactly(ForwardedHop.UNUSABLE, new ForwardedHop(at("2001:db8::1", 80), null, "a.example"));
    }

    @Test
    void emptyElementsAndPairsAreSkipped() throws Exception {
        assertThat(ForwardedField.parse(List.of(",, for=1.2.3.4;;proto=http, ,"))).containsExactly(new ForwardedHop(at("1.2.3.4", 0), "http", null));
        assertThat(ForwardedField.parse(List.of(" , "))).isNull();
        assertThat(ForwardedField.parse(List.of())).isNull();
    }

    @Test
    void obfuscatedPortCountsAsNoPortAndUnknownParametersAreIgnored() throws Exception {
        assertThat(ForwardedField.parse(List.of("for=\"1.2.3.4:_abc\";secret=\"x;y,z\""))).containsExactly(new ForwardedHop(at("1.2.3.4", 0), null, null));
    }

    @Test
    void anUnterminatedQuoteMakesTheWholeFieldUnusable() {
        assertThat(ForwardedField.parse(List.of("for=1.2.3.4, for=\"5.6.7.8"))).isNull();
        assertThat(ForwardedField.parse(List.of("for=1.2.3.4, for=\"5.6.7.8\\"))).isNull();
        assertThat(ForwardedField.parse(List.of("for=1.2.3.4, x\"y"))).isNull();
    }
}
