package dev.ladle.server.internal;

import dev.ladle.server.ProxyHeader;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serialises a {@link ProxyHeader} as a balancer sends it: {@link ProxyHeader#encode()}. */
public final class ProxyHeaderWriter {
    private static final int MAX_LENGTH_FIELD = 0xffff;

    private ProxyHeaderWriter() {
    }

    /**
     * Returns the header's bytes: version 1's text line or version 2's binary block.
     *
     * @throws IllegalStateException when the version 2 block exceeds its 16-bit length or a Unix path
     *     exceeds 108 bytes
     */
    public static byte[] encode(ProxyHeader header) {
        return header.version() == 1 ? v1(header) : v2(header);
    }

    private static byte[] v1(ProxyHeader header) {
        if (header.sourceAddress() == null) {
            return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        InetSocketAddress source = (InetSocketAddress) header.sourceAddress();
        InetSocketAddress destination = (InetSocketAddress) header.destinationAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        String line = "PROXY " + (v4 ? "TCP4 " : "TCP6 ") + text(source.getAddress(), v4) + " "
                + text(destination.getAddress(), v4) + " " + source.getPort() + " " + destination.getPort() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(InetAddress address, boolean v4) {
        return v4 ? address.getHostAddress() : Listener.ipv6Text(ipv6Bytes(address));
    }

    /** The 16 bytes of an IPv6 address, or of an IPv4 one mapped into IPv6 ({@code ::ffff:a.b.c.d}). */
    private static byte[] ipv6Bytes(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] v2(ProxyHeader header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(ProxyHeaderParser.V2_SIGNATURE);
        out.write(header.command() == ProxyHeader.Command.LOCAL ? 0x20 : 0x21);
        byte[] addresses = addresses(header);
        out.write(family(header));
        int length = addresses.length;
        for (ProxyHeader.Tlv tlv : header.tlvs()) {
            length += 3 + tlv.length();
        }
        if (length > MAX_LENGTH_FIELD) {
            throw new IllegalStateException("PROXY v2 addresses and TLVs of " + length + " bytes exceed 65535");
        }
        writeU16(out, length);
        out.writeBytes(addresses);
        int crcAt = -1;
        for (ProxyHeader.Tlv tlv : header.tlvs()) {
            out.write(tlv.type());
            writeU16(out, tlv.length());
            if (tlv.type() == ProxyHeader.PP2_TYPE_CRC32C && crcAt < 0) {
                crcAt = out.size();
            }
            out.writeBytes(tlv.value());
        }
        byte[] bytes = out.toByteArray();
        if (crcAt >= 0) {
            long crc = ProxyHeaderParser.crc32c(bytes, crcAt);
            for (int i = 0; i < 4; i++) {
                bytes[crcAt + i] = (byte) (crc >> (24 - 8 * i));
            }
        }
        return bytes;
    }

    /** The family and protocol byte: always a stream (TCP or Unix stream), AF_UNSPEC without addresses. */
    private static int family(ProxyHeader header) {
        if (header.sourceAddress() == null) {
            return 0x00;
        }
        if (header.sourceAddress() instanceof UnixDomainSocketAddress) {
            return 0x31;
        }
        InetSocketAddress s = (InetSocketAddress) header.sourceAddress();
        InetSocketAddress d = (InetSocketAddress) header.destinationAddress();
        return s.getAddress() instanceof Inet4Address && d.getAddress() instanceof Inet4Address ? 0x11 : 0x21;
    }

    private static byte[] addresses(ProxyHeader header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int family = family(header);
        if (family == 0x31) {
            unixPath(out, (UnixDomainSocketAddress) header.sourceAddress());
            unixPath(out, (UnixDomainSocketAddress) header.destinationAddress());
        } else if (family != 0x00) {
            InetSocketAddress s = (InetSocketAddress) header.sourceAddress();
            InetSocketAddress d = (InetSocketAddress) header.destinationAddress();
            out.writeBytes(family == 0x11 ? s.getAddress().getAddress() : ipv6Bytes(s.getAddress()));
            out.writeBytes(family == 0x11 ? d.getAddress().getAddress() : ipv6Bytes(d.getAddress()));
            writeU16(out, s.getPort());
            writeU16(out, d.getPort());
        }
        return out.toByteArray();
    }

    private static void unixPath(ByteArrayOutputStream out, UnixDomainSocketAddress address) {
        byte[] path = address.getPath().toString().getBytes(StandardCharsets.UTF_8);
        if (path.length > ProxyHeaderParser.UNIX_ADDRESS_LENGTH) {
            throw new IllegalStateException("Unix path of " + path.length + " bytes exceeds the 108 of sun_path");
        }
        out.writeBytes(path);
        out.writeBytes(new byte[ProxyHeaderParser.UNIX_ADDRESS_LENGTH - path.length]);
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xff);
        out.write(value & 0xff);
    }
}
