package dev.ladle.server.internal;

import dev.ladle.server.ProxyHeader;
import dev.ladle.server.ProxyHeader.Command;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Parses one complete PROXY protocol header (HAProxy's {@code proxy-protocol.txt}) as
 * {@link ProxyHeaderReader} cut it from a connection: the version 1 text line or the version 2 binary
 * block, strictly (a header that does not match the specification exactly is refused). Version 2
 * TLVs are checked: they must tile the rest of the block, a {@code PP2_TYPE_CRC32C} must match, a
 * unique id has at most 128 bytes and the SSL TLV's sub-TLVs must fit.
 */
public final class ProxyHeaderParser {
    /** The first 12 bytes of every version 2 header. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** The first 6 bytes of every version 1 header. */
    static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** The longest version 1 line, CRLF included ({@code UNKNOWN} with two full IPv6 addresses). */
    static final int V1_MAX_LENGTH = 107;
    /** The signature, version and command, family and protocol, and the length field. */
    static final int V2_FIXED_LENGTH = 16;
    /**
     * The most address and TLV bytes accepted after the fixed part: addresses take at most 216, and
     * balancers send TLVs of a few hundred bytes; the 16-bit length field would allow 64 KiB.
     */
    static final int V2_MAX_VARIABLE_LENGTH = 4096;
    /** The longest unique id (section 2.2.5). */
    static final int MAX_UNIQUE_ID_LENGTH = 128;
    static final int UNIX_ADDRESS_LENGTH = 108;
    private static final int SSL_FIXED_LENGTH = 5;

    private ProxyHeaderParser() {
    }

    /**
     * Parses {@code header}, exactly one header of either version and nothing after it.
     *
     * @throws ProxyHeaderException naming the first rule the bytes break
     */
    public static ProxyHeader parse(byte[] header) throws ProxyHeaderException {
        if (startsWith(header, header.length, V2_SIGNATURE)) {
            return parseV2(header);
        }
        if (startsWith(header, header.length, V1_PREFIX)) {
            return parseV1(header);
        }
        throw new ProxyHeaderException("the connection does not start with a PROXY protocol header");
    }

    /** Returns true when {@code b[0, length)} begins with all of {@code prefix}. */
    static boolean startsWith(byte[] b, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Returns true when {@code b[0, length)} could still begin with {@code prefix}: it agrees as far as it goes. */
    static boolean agreesWith(byte[] b, int length, byte[] prefix) {
        int n = Math.min(length, prefix.length);
        return Arrays.equals(b, 0, n, prefix, 0, n);
    }

    private static ProxyHeader parseV1(byte[] h) throws ProxyHeaderException {
        int n = h.length;
        if (n > V1_MAX_LENGTH) {
            throw new ProxyHeaderException("PROXY v1 line longer than " + V1_MAX_LENGTH + " bytes");
        }
        if (n < 2 || h[n - 2] != '\r' || h[n - 1] != '\n' || indexOfCrlf(h, n) != n - 2) {
            throw new ProxyHeaderException("PROXY v1 line does not end at its first CRLF");
        }
        String line = new String(h, V1_PREFIX.length, n - 2 - V1_PREFIX.length, StandardCharsets.ISO_8859_1);
        if (line.equals("UNKNOWN") || line.startsWith("UNKNOWN ")) {
            // the sender could not fill the line: whatever follows is ignored (section 2.1)
            return new ProxyHeader(1, Command.PROXY, null, null, List.of());
        }
        String[] f = line.split(" ", -1);
        if (f.length != 5 || !(f[0].equals("TCP4") || f[0].equals("TCP6"))) {
            throw new ProxyHeaderException("PROXY v1 line is not \"TCP4|TCP6 src dst sport dport\" or UNKNOWN");
        }
        boolean v4 = f[0].equals("TCP4");
        InetAddress source = v4 ? IpLiterals.ipv4(f[1]) : f[1].indexOf(':') < 0 ? null : IpLiterals.ipv6(f[1]);
        InetAddress destination = v4 ? IpLiterals.ipv4(f[2]) : f[2].indexOf(':') < 0 ? null : IpLiterals.ipv6(f[2]);
        if (source == null || destination == null) {
            throw new ProxyHeaderException("PROXY v1 address is not a valid " + (v4 ? "IPv4" : "IPv6") + " address");
        }
        return new ProxyHeader(1, Command.PROXY, new InetSocketAddress(source, port(f[3])),
                new InetSocketAddress(destination, port(f[4])), List.of());
    }

    /** Returns the index of the first CRLF in {@code b[0, length)}, or -1. */
    static int indexOfCrlf(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int port(String s) throws ProxyHeaderException {
        int n = s.length();
        boolean digits = n >= 1 && n <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (n > 1 && s.charAt(0) == '0') || Integer.parseInt(s) > 0xffff) {
            throw new ProxyHeaderException("PROXY v1 port is not a number from 0 to 65535 without leading zeros");
        }
        return Integer.parseInt(s);
    }

    private static ProxyHeader parseV2(byte[] h) throws ProxyHeaderException {
        Command command = checkFixedPart(h);
        int family = h[13] & 0xff;
        if (command == Command.LOCAL && family != 0x00) {
            // the family of a LOCAL header is ignored, and with it the whole block (section 2.2)
            return header(command, null, null, List.of());
        }
        int addressLength = switch (family) {
            case 0x00 -> 0;
            case 0x11, 0x12 -> 12;
            case 0x21, 0x22 -> 36;
            case 0x31, 0x32 -> 2 * UNIX_ADDRESS_LENGTH;
            default -> throw new ProxyHeaderException("PROXY v2 family/protocol byte 0x" + Integer.toHexString(family)
                    + " is not one of the specification's");
        };
        if (h.length - V2_FIXED_LENGTH < addressLength) {
            throw new ProxyHeaderException("PROXY v2 address block of " + (h.length - V2_FIXED_LENGTH)
                    + " bytes is shorter than the " + addressLength + " its family needs");
        }
        SocketAddress[] addresses = addresses(h, family >> 4);
        return header(command, addresses[0], addresses[1], tlvs(h, V2_FIXED_LENGTH + addressLength));
    }

    /** Checks the signature's version, the command and the length field; returns the command. */
    private static Command checkFixedPart(byte[] h) throws ProxyHeaderException {
        if (h.length < V2_FIXED_LENGTH) {
            throw new ProxyHeaderException("PROXY v2 header shorter than its 16 fixed bytes");
        }
        int version = (h[12] & 0xf0) >> 4;
        int commandBits = h[12] & 0x0f;
        if (version != 2 || commandBits > 1) {
            throw new ProxyHeaderException("PROXY v2 version/command byte 0x" + Integer.toHexString(h[12] & 0xff)
                    + " is not 0x20 (LOCAL) or 0x21 (PROXY)");
        }
        int length = u16(h, 14);
        if (length > V2_MAX_VARIABLE_LENGTH || h.length != V2_FIXED_LENGTH + length) {
            throw new ProxyHeaderException("PROXY v2 length " + length + " does not fit: at most "
                    + V2_MAX_VARIABLE_LENGTH + ", and the header must end there");
        }
        return commandBits == 0 ? Command.LOCAL : Command.PROXY;
    }

    /** The source and destination of the address block of {@code family} (1 IPv4, 2 IPv6, 3 Unix); nulls for 0. */
    private static SocketAddress[] addresses(byte[] h, int family) {
        int a = V2_FIXED_LENGTH;
        if (family == 1 || family == 2) {
            int size = family == 1 ? 4 : 16;
            int ports = a + 2 * size;
            return new SocketAddress[] {
                new InetSocketAddress(IpLiterals.byAddress(Arrays.copyOfRange(h, a, a + size)), u16(h, ports)),
                new InetSocketAddress(IpLiterals.byAddress(Arrays.copyOfRange(h, a + size, a + 2 * size)), u16(h, ports + 2))};
        }
        if (family == 3) {
            return new SocketAddress[] {unixAddress(h, a), unixAddress(h, a + UNIX_ADDRESS_LENGTH)};
        }
        return new SocketAddress[2];
    }

    private static ProxyHeader header(Command command, SocketAddress source, SocketAddress destination,
                                      List<ProxyHeader.Tlv> tlvs) throws ProxyHeaderException {
        try {
            return new ProxyHeader(2, command, source, destination, tlvs);
        } catch (IllegalArgumentException e) {
            throw new ProxyHeaderException("PROXY v2 " + e.getMessage());
        }
    }

    /** The TLVs in {@code h[start, h.length)}, which they must fill exactly; checks a CRC32c TLV. */
    private static List<ProxyHeader.Tlv> tlvs(byte[] h, int start) throws ProxyHeaderException {
        List<ProxyHeader.Tlv> tlvs = new ArrayList<>();
        int i = start;
        int crcAt = -1;
        while (i < h.length) {
            if (h.length - i < 3 || h.length - i - 3 < u16(h, i + 1)) {
                throw new ProxyHeaderException("PROXY v2 TLV at byte " + i + " overruns the header");
            }
            int type = h[i] & 0xff;
            int length = u16(h, i + 1);
            if (type == ProxyHeader.PP2_TYPE_CRC32C && crcAt < 0) {
                crcAt = i + 3;
            }
            tlvs.add(new ProxyHeader.Tlv(type, Arrays.copyOfRange(h, i + 3, i + 3 + length)));
            i += 3 + length;
        }
        if (crcAt >= 0 && h.length - crcAt >= 4 && u16(h, crcAt - 2) == 4) {
            long sent = (long) u16(h, crcAt) << 16 | u16(h, crcAt + 2);
            if (crc32c(h, crcAt) != sent) {
                throw new ProxyHeaderException("PROXY v2 CRC32c does not match the header");
            }
        }
        return tlvs;
    }

    /** The CRC32c of {@code h} with the 4 bytes at {@code crcAt} taken as zero (section 2.2.3). */
    static long crc32c(byte[] h, int crcAt) {
        CRC32C crc = new CRC32C();
        crc.update(h, 0, crcAt);
        crc.update(new byte[4]);
        crc.update(h, crcAt + 4, h.length - crcAt - 4);
        return crc.getValue();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /**
     * A 108-byte {@code sun_path}: the bytes up to the first NUL as a UTF-8 path. An abstract or
     * unnamed address, or one that is no valid UTF-8 or path here, is the unnamed address (an empty
     * path): it is only informative.
     */
    private static UnixDomainSocketAddress unixAddress(byte[] h, int at) {
        int end = at;
        while (end < at + UNIX_ADDRESS_LENGTH && h[end] != 0) {
            end++;
        }
        try {
            String path = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(h, at, end - at)).toString();
            return UnixDomainSocketAddress.of(path);
        } catch (CharacterCodingException | InvalidPathException e) {
            return UnixDomainSocketAddress.of("");
        }
    }

    /**
     * Checks a TLV's value against its type's rules: a CRC32c has 4 bytes, a unique id at most 128 and
     * an SSL TLV a well-formed structure.
     *
     * @throws IllegalArgumentException naming the broken rule
     */
    public static void checkTlv(ProxyHeader.Tlv tlv) {
        switch (tlv.type()) {
            case ProxyHeader.PP2_TYPE_CRC32C -> {
                if (tlv.length() != 4) {
                    throw new IllegalArgumentException("CRC32c TLV has " + tlv.length() + " bytes, not 4");
                }
            }
            case ProxyHeader.PP2_TYPE_UNIQUE_ID -> {
                if (tlv.length() > MAX_UNIQUE_ID_LENGTH) {
                    throw new IllegalArgumentException("unique id TLV of " + tlv.length() + " bytes exceeds 128");
                }
            }
            case ProxyHeader.PP2_TYPE_SSL -> decodeSsl(tlv.value());
            default -> {
                // other types carry anything
            }
        }
    }

    /**
     * Decodes an SSL TLV's value (section 2.2.6): the client bits, the verify result, then sub-TLVs.
     *
     * @throws IllegalArgumentException when it is shorter than 5 bytes or a sub-TLV overruns it
     */
    public static ProxyHeader.Ssl decodeSsl(byte[] v) {
        if (v.length < SSL_FIXED_LENGTH) {
            throw new IllegalArgumentException("SSL TLV of " + v.length + " bytes is shorter than 5");
        }
        long verify = (long) u16(v, 1) << 16 | u16(v, 3);
        String[] fields = new String[5];
        int i = SSL_FIXED_LENGTH;
        while (i < v.length) {
            if (v.length - i < 3 || v.length - i - 3 < u16(v, i + 1)) {
                throw new IllegalArgumentException("SSL sub-TLV at byte " + i + " overruns the SSL TLV");
            }
            int type = v[i] & 0xff;
            int length = u16(v, i + 1);
            // 0x21 version, 0x22 CN, 0x23 cipher, 0x24 signature algorithm, 0x25 key algorithm
            if (type >= 0x21 && type <= 0x25 && fields[type - 0x21] == null) {
                fields[type - 0x21] = new String(v, i + 3, length,
                        type == 0x22 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
            }
            i += 3 + length;
        }
        return new ProxyHeader.Ssl(v[0] & 0xff, verify, fields[0], fields[1], fields[2], fields[3], fields[4]);
    }
}
