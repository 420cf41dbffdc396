package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ProxyHeader;
import dev.ladle.server.ProxyHeader.Command;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY protocol's rules (HAProxy's {@code proxy-protocol.txt}) on exact bytes: what each header
 * form yields, which malformed headers are refused, and that {@link ProxyHeader#encode()} writes what a
 * balancer sends.
 */
class ProxyHeaderParserTest {
    /** The version 2 signature, the 12 bytes every binary header starts with. */
    static final String SIG = "0D0A0D0A000D0A515549540A";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static InetSocketAddress inet(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    // ---- version 1 ---------------------------------------------------------------------------------

    @Test
    void v1Tcp4LineGivesBothAddressesAndPorts() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n"));
        assertThat(h.version()).isEqualTo(1);
        assertThat(h.command()).isEqualTo(Command.PROXY);
        assertThat(h.sourceAddress()).isEqualTo(inet("203.0.113.7", 56324));
        assertThat(h.destinationAddress()).isEqualTo(inet("192.0.2.1", 443));
        assertThat(h.tlvs()).isEmpty();
    }

    @Test
    void v1Tcp6LineGivesIpv6Addresses() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(ascii("PROXY TCP6 2001:db8::1 2001:DB8:0:0:0:0:0:2 4711 0\r\n"));
        assertThat(h.sourceAddress()).isEqualTo(inet("2001:db8::1", 4711));
        assertThat(h.destinationAddress()).isEqualTo(inet("2001:db8::2", 0));
    }

    @Test
    void v1UnknownCarriesNoAddressAndTheRestOfItsLineIsIgnored() throws Exception {
        for (String line : List.of("PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", "PROXY UNKNOWN whatever\r\n")) {
            ProxyHeader h = ProxyHeaderParser.parse(ascii(line));
            assertThat(h.command()).isEqualTo(Command.PROXY);
            assertThat(h.sourceAddress()).isNull();
            assertThat(h.destinationAddress()).isNull();
        }
    }

    @Test
    void v1LineOf107BytesIsAcceptedAndOf108Refused() throws Exception {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String longest = "PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n";
        assertThat(longest).hasSize(107);
        assertThat(ProxyHeaderParser.parse(ascii(longest)).sourceAddress()).isNull();
        String tooLong = "PROXY UNKNOWN " + full + " " + full + " 65535 655355\r\n";
        assertThatThrownBy(() -> ProxyHeaderParser.parse(ascii(tooLong))).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("107");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 010.0.0.1 192.0.2.1 1 2\r\n",       // leading zero (octal confusion)
        "PROXY TCP4 10.0.0.256 192.0.2.1 1 2\r\n",      // not an IPv4 address
        "PROXY TCP4 10.0.0.1 192.0.2.1 0443 2\r\n",     // leading zero in a port
        "PROXY TCP4 10.0.0.1 192.0.2.1 65536 2\r\n",    // port out of range
        "PROXY TCP4 10.0.0.1 192.0.2.1 -1 2\r\n",       // not a number
        "PROXY TCP4 10.0.0.1  192.0.2.1 1 2\r\n",       // two spaces
        "PROXY TCP4 10.0.0.1 192.0.2.1 1\r\n",          // a field missing
        "PROXY TCP4 10.0.0.1 192.0.2.1 1 2 3\r\n",      // a field too many
        "PROXY TCP4 2001:db8::1 192.0.2.1 1 2\r\n",     // IPv6 under TCP4
        "PROXY TCP6 10.0.0.1 2001:db8::2 1 2\r\n",      // IPv4 under TCP6
        "PROXY TCP6 fe80::1%eth0 2001:db8::2 1 2\r\n",  // a zone
        "PROXY TCP4 localhost 192.0.2.1 1 2\r\n",       // a name: never looked up
        "PROXY TCP5 10.0.0.1 192.0.2.1 1 2\r\n",        // an unknown protocol
        "PROXY TCP4 10.0.0.1 192.0.2.1 1 2\n",          // LF alone
        "PROXY TCP4 10.0.0.1 192.0.2.1 1 2\r",          // CR alone
        "PROXY TCP4 10.0.0.1 192.0.2.1 1 2\r\n\r\n",    // bytes after the CRLF
        "PROXY UNKNOWNX\r\n",                           // not the UNKNOWN keyword
        "proxy TCP4 10.0.0.1 192.0.2.1 1 2\r\n",        // lower case
        "PROXY\tTCP4 10.0.0.1 192.0.2.1 1 2\r\n",       // a tab
    })
    void malformedV1LinesAreRefused(String line) {
        assertThatThrownBy(() -> ProxyHeaderParser.parse(ascii(line))).isInstanceOf(ProxyHeaderException.class);
    }

    // ---- version 2 ---------------------------------------------------------------------------------

    @Test
    void v2ProxyOverIpv4GivesBothAddressesAndPorts() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 11 000C CB007107 C0000201 DC04 01BB"));
        assertThat(h.version()).isEqualTo(2);
        assertThat(h.command()).isEqualTo(Command.PROXY);
        assertThat(h.sourceAddress()).isEqualTo(inet("203.0.113.7", 56324));
        assertThat(h.destinationAddress()).isEqualTo(inet("192.0.2.1", 443));
    }

    @Test
    void v2ProxyOverIpv6GivesBothAddressesAndPorts() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 21 0024 20010DB8000000000000000000000001"
                + "20010DB8000000000000000000000002 1267 0050"));
        assertThat(h.sourceAddress()).isEqualTo(inet("2001:db8::1", 4711));
        assertThat(h.destinationAddress()).isEqualTo(inet("2001:db8::2", 80));
    }

    @Test
    void v2ProxyOverUnixGivesUnixAddresses() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 31 00D8" + unixPath("/run/client.sock") + unixPath("/run/ladle.sock")));
        assertThat(h.sourceAddress()).isEqualTo(UnixDomainSocketAddress.of("/run/client.sock"));
        assertThat(h.destinationAddress()).isEqualTo(UnixDomainSocketAddress.of("/run/ladle.sock"));
    }

    /** A 108-byte {@code sun_path} as hex: the path, then NULs. */
    static String unixPath(String path) {
        byte[] b = new byte[108];
        byte[] p = ascii(path);
        System.arraycopy(p, 0, b, 0, p.length);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void abstractUnixAddressBecomesTheUnnamedAddress() throws Exception {
        String abstractName = "00" + HexFormat.of().formatHex(ascii("hidden")) + "00".repeat(108 - 7);
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 31 00D8" + abstractName + unixPath("/run/ladle.sock")));
        assertThat(h.sourceAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
    }

    @Test
    void v2LocalKeepsNoAddressWhateverItsFamilyAndAddressBlock() throws Exception {
        for (String rest : List.of("00 0000", "11 000C CB007107 C0000201 DC04 01BB", "FF 0003 010203")) {
            ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "20 " + rest));
            assertThat(h.command()).isEqualTo(Command.LOCAL);
            assertThat(h.sourceAddress()).isNull();
        }
    }

    @Test
    void v2UnspecifiedFamilyCarriesNoAddressButItsTlvs() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 00 0005 01 0002 6832"));
        assertThat(h.command()).isEqualTo(Command.PROXY);
        assertThat(h.sourceAddress()).isNull();
        assertThat(h.alpn()).isEqualTo("h2");
    }

    @Test
    void v2DatagramFamiliesAreReadLikeStreams() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 12 000C CB007107 C0000201 DC04 01BB"));
        assertThat(h.sourceAddress()).isEqualTo(inet("203.0.113.7", 56324));
    }

    @Test
    void v2TlvsAreExposedInOrder() throws Exception {
        String ssl = "01 00000000" // client used TLS, verify 0
                + "21 0007" + HexFormat.of().formatHex(ascii("TLSv1.3"))
                + "22 0005" + HexFormat.of().formatHex(ascii("alice"))
                + "23 0016" + HexFormat.of().formatHex(ascii("TLS_AES_128_GCM_SHA256"));
        String sslTlv = "20" + String.format("%04X", hex(ssl).length) + ssl;
        String tlvs = "01 0002 6832" // ALPN h2
                + "02 000B " + HexFormat.of().formatHex(ascii("example.com"))
                + "05 0004 DEADBEEF" // unique id
                + "04 0001 00" // NOOP
                + sslTlv
                + "EA 0003 414243"; // an application's own type
        int length = 12 + hex(tlvs).length;
        ProxyHeader h = ProxyHeaderParser.parse(hex(SIG + "21 11" + String.format("%04X", length)
                + "CB007107 C0000201 DC04 01BB" + tlvs));
        assertThat(h.alpn()).isEqualTo("h2");
        assertThat(h.authority()).isEqualTo("example.com");
        assertThat(h.uniqueId()).isEqualTo(hex("DEADBEEF"));
        assertThat(h.tlv(0xEA)).isEqualTo(ascii("ABC"));
        assertThat(h.tlv(0xEB)).isNull();
        assertThat(h.tlvs()).extracting(ProxyHeader.Tlv::type).containsExactly(0x01, 0x02, 0x05, 0x04, 0x20, 0xEA);
        ProxyHeader.Ssl s = h.ssl();
        assertThat(s.isTls()).isTrue();
        assertThat(s.isClientCertificateVerified()).isFalse();
        assertThat(s.version()).isEqualTo("TLSv1.3");
        assertThat(s.commonName()).isEqualTo("alice");
        assertThat(s.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(s.signatureAlgorithm()).isNull();
    }

    @Test
    void v2Crc32cThatMatchesIsAcceptedAndOneThatDoesNotIsRefused() throws Exception {
        // CRC32c of the header with its checksum field zeroed, computed independently (RFC 4960 appendix B)
        byte[] header = hex(SIG + "21 11 0013 CB007107 C0000201 DC04 01BB 03 0004 00000000");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header);
        long value = crc.getValue();
        for (int i = 0; i < 4; i++) {
            header[header.length - 4 + i] = (byte) (value >> (24 - 8 * i));
        }
        assertThat(ProxyHeaderParser.parse(header).sourceAddress()).isEqualTo(inet("203.0.113.7", 56324));
        header[header.length - 1] ^= 1;
        assertThatThrownBy(() -> ProxyHeaderParser.parse(header)).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("CRC32c");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0D0A0D0A000D0A515549540B 21 11 000C CB007107 C0000201 DC04 01BB", // a signature byte off
        SIG + "11 11 000C CB007107 C0000201 DC04 01BB",         // version 1 in the binary form
        SIG + "22 11 000C CB007107 C0000201 DC04 01BB",         // command 2
        SIG + "21 41 000C CB007107 C0000201 DC04 01BB",         // family 4
        SIG + "21 13 000C CB007107 C0000201 DC04 01BB",         // protocol 3
        SIG + "21 10 000C CB007107 C0000201 DC04 01BB",         // IPv4 with an unspecified protocol
        SIG + "21 11 0008 CB007107 C0000201",                   // address block too short
        SIG + "21 11 000D CB007107 C0000201 DC04 01BB",         // length says one byte more than sent
        SIG + "21 11 000C CB007107 C0000201 DC04 01BB 00",      // a byte after the stated length
        SIG + "21 11 000E CB007107 C0000201 DC04 01BB 0100",    // a TLV of two bytes
        SIG + "21 11 0010 CB007107 C0000201 DC04 01BB 01 0002 68", // a TLV that overruns
        SIG + "21 11 0012 CB007107 C0000201 DC04 01BB 03 0003 000000", // a CRC32c of three bytes
        SIG + "21 00 0007 20 0004 01000000",                    // an SSL TLV shorter than 5
        SIG + "21 00 000B 20 0008 0100000000 21 0005",          // an SSL sub-TLV that overruns
        SIG + "21 00",                                          // cut before the length
    })
    void malformedV2HeadersAreRefused(String bytes) {
        assertThatThrownBy(() -> ProxyHeaderParser.parse(hex(bytes))).isInstanceOf(ProxyHeaderException.class);
    }

    @Test
    void v2UniqueIdOver128BytesAndLengthOver4096AreRefused() {
        byte[] id = hex(SIG + "21 00 0084 05 0081" + "00".repeat(129));
        assertThatThrownBy(() -> ProxyHeaderParser.parse(id)).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("128");
        byte[] big = hex(SIG + "21 00 1001 04 0FFE" + "00".repeat(4094));
        assertThatThrownBy(() -> ProxyHeaderParser.parse(big)).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("4096");
    }

    @Test
    void bytesOfNeitherVersionAreRefused() {
        assertThatThrownBy(() -> ProxyHeaderParser.parse(ascii("GET / HTTP/1.1\r\n\r\n")))
                .isInstanceOf(ProxyHeaderException.class).hasMessageContaining("does not start with a PROXY");
    }

    // ---- encoding ----------------------------------------------------------------------------------

    @Test
    void encodeWritesVersion1AsItsTextLine() throws Exception {
        ProxyHeader h = new ProxyHeader(1, Command.PROXY, inet("203.0.113.7", 56324), inet("192.0.2.1", 443), List.of());
        assertThat(new String(h.encode(), StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n");
        ProxyHeader v6 = new ProxyHeader(1, Command.PROXY, inet("2001:db8::1", 1), inet("192.0.2.1", 2), List.of());
        assertThat(new String(v6.encode(), StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP6 2001:db8::1 ::ffff:c000:201 1 2\r\n");
        assertThat(new ProxyHeader(1, Command.PROXY, null, null, List.of()).encode()).isEqualTo(ascii("PROXY UNKNOWN\r\n"));
    }

    @Test
    void encodeWritesVersion2AsABalancerSendsIt() throws Exception {
        ProxyHeader h = new ProxyHeader(2, Command.PROXY, inet("203.0.113.7", 56324), inet("192.0.2.1", 443),
                List.of(new ProxyHeader.Tlv(ProxyHeader.PP2_TYPE_ALPN, ascii("h2"))));
        assertThat(h.encode()).isEqualTo(hex(SIG + "21 11 0011 CB007107 C0000201 DC04 01BB 01 0002 6832"));
        assertThat(new ProxyHeader(2, Command.LOCAL, null, null, List.of()).encode()).isEqualTo(hex(SIG + "20 00 0000"));
    }

    @Test
    void encodedHeadersParseToEqualHeadersWithTheirChecksumFilledIn() throws Exception {
        List<ProxyHeader> headers = List.of(
                new ProxyHeader(1, Command.PROXY, inet("2001:db8::1", 4711), inet("2001:db8::2", 443), List.of()),
                new ProxyHeader(2, Command.PROXY, inet("2001:db8::1", 4711), inet("192.0.2.1", 443), List.of()),
                new ProxyHeader(2, Command.PROXY, UnixDomainSocketAddress.of("/tmp/a"), UnixDomainSocketAddress.of("/tmp/b"),
                        List.of(new ProxyHeader.Tlv(ProxyHeader.PP2_TYPE_UNIQUE_ID, new byte[128]))),
                new ProxyHeader(2, Command.LOCAL, null, null,
                        List.of(new ProxyHeader.Tlv(ProxyHeader.PP2_TYPE_CRC32C, new byte[4]))));
        for (ProxyHeader h : headers) {
            ProxyHeader parsed = ProxyHeaderParser.parse(h.encode());
            assertThat(parsed.sourceAddress()).isEqualTo(h.sourceAddress());
            assertThat(parsed.destinationAddress()).isEqualTo(h.destinationAddress());
            assertThat(parsed.command()).isEqualTo(h.command());
            assertThat(parsed.tlvs()).extracting(ProxyHeader.Tlv::type).isEqualTo(h.tlvs().stream().map(ProxyHeader.Tlv::type).toList());
            assertThat(parsed.encode()).isEqualTo(h.encode());
        }
    }

    @Test
    void inconsistentHeadersCannotBeMade() throws Exception {
        InetSocketAddress a = inet("192.0.2.1", 1);
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(3, Command.PROXY, null, null, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(1, Command.LOCAL, null, null, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(2, Command.PROXY, a, null, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(2, Command.LOCAL, a, a, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(2, Command.PROXY, a, UnixDomainSocketAddress.of("/x"), List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(2, Command.PROXY,
                InetSocketAddress.createUnresolved("example.com", 1), a, List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(1, Command.PROXY,
                UnixDomainSocketAddress.of("/x"), UnixDomainSocketAddress.of("/y"), List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader(2, Command.PROXY, null, null,
                List.of(new ProxyHeader.Tlv(ProxyHeader.PP2_TYPE_SSL, new byte[2]))));
        assertThatIllegalArgumentException().isThrownBy(() -> new ProxyHeader.Tlv(256, new byte[0]));
    }
}
