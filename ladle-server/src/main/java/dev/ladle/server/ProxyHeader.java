package dev.ladle.server;

import dev.ladle.server.internal.ProxyHeaderParser;
import dev.ladle.server.internal.ProxyHeaderWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A PROXY protocol header (HAProxy's {@code proxy-protocol.txt}, versions 1 and 2) as a load balancer
 * sent it at the start of a connection on a {@link ListenOption#PROXY_PROTOCOL} listener: the original
 * client's address and the address it connected to, and in version 2 the TLVs (ALPN, authority, TLS
 * details, a unique id ...). Immutable; reachable from every request of the connection through
 * {@link ServerMessage#getProxyHeader()}.
 *
 * @param version 1 (the text form) or 2 (the binary form)
 * @param command {@link Command#PROXY}, or {@link Command#LOCAL} (version 2 only: the balancer's own
 *     connection, such as a health check)
 * @param sourceAddress the client's address: an {@link InetSocketAddress} (IPv4 or IPv6) or, in version
 *     2, a {@link UnixDomainSocketAddress}; null when the header carries none ({@code LOCAL}, version 1
 *     {@code UNKNOWN}, version 2 {@code AF_UNSPEC}), and then the connection's own peer stands
 * @param destinationAddress the address the client connected to, of the same kind; null exactly when
 *     {@code sourceAddress} is
 * @param tlvs the version 2 type-length-value fields in the order received (all of them, also types
 *     Ladle does not interpret); empty for version 1
 */
public record ProxyHeader(int version, Command command, SocketAddress sourceAddress,
                          SocketAddress destinationAddress, List<Tlv> tlvs) {
    /** TLV type: the application protocol (ALPN) the client negotiated with the balancer, e.g. {@code h2}. */
    public static final int PP2_TYPE_ALPN = 0x01;
    /** TLV type: the host name the client asked for (TLS SNI), UTF-8. */
    public static final int PP2_TYPE_AUTHORITY = 0x02;
    /** TLV type: the CRC32c of the whole header; checked when received, computed by {@link #encode()}. */
    public static final int PP2_TYPE_CRC32C = 0x03;
    /** TLV type: padding, ignored. */
    public static final int PP2_TYPE_NOOP = 0x04;
    /** TLV type: an opaque id of the connection of up to 128 bytes (HAProxy's {@code unique-id}). */
    public static final int PP2_TYPE_UNIQUE_ID = 0x05;
    /** TLV type: TLS details of the client's connection, see {@link Ssl}. */
    public static final int PP2_TYPE_SSL = 0x20;
    /** TLV type: the network namespace's name, US-ASCII. */
    public static final int PP2_TYPE_NETNS = 0x30;

    /** The command of a header. */
    public enum Command {
        /** The connection is relayed for the client named in the header. */
        PROXY,
        /** The balancer opened the connection itself (a health check): its own address stands. */
        LOCAL
    }

    /**
     * Checks and copies the fields.
     *
     * @throws IllegalArgumentException for a version other than 1 or 2, {@code LOCAL} or TLVs in version
     *     1, addresses with {@code LOCAL}, only one of the two addresses, addresses of different kinds, an
     *     unresolved or Unix address in version 1, or a TLV that breaks its type's rules (a CRC32c of other
     *     than 4 bytes, a unique id over 128 bytes, an SSL TLV whose sub-TLVs overrun it)
     */
    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        tlvs = List.copyOf(tlvs);
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("PROXY protocol version must be 1 or 2, not " + version);
        }
        if ((sourceAddress == null) != (destinationAddress == null)) {
            throw new IllegalArgumentException("source and destination addresses must both be given or both be null");
        }
        if (sourceAddress != null) {
            checkAddresses(version, sourceAddress, destinationAddress);
        }
        if (version == 1 && (command == Command.LOCAL || !tlvs.isEmpty())) {
            throw new IllegalArgumentException("PROXY protocol version 1 has neither LOCAL nor TLVs");
        }
        if (command == Command.LOCAL && sourceAddress != null) {
            throw new IllegalArgumentException("a LOCAL header carries no addresses");
        }
        for (Tlv tlv : tlvs) {
            ProxyHeaderParser.checkTlv(tlv);
        }
    }

    private static void checkAddresses(int version, SocketAddress source, SocketAddress destination) {
        boolean inet = source instanceof InetSocketAddress;
        if (inet) {
            if (!(destination instanceof InetSocketAddress d) || ((InetSocketAddress) source).isUnresolved() || d.isUnresolved()) {
                throw new IllegalArgumentException("PROXY protocol addresses must be two resolved IP socket addresses or two Unix ones");
            }
        } else if (!(source instanceof UnixDomainSocketAddress) || !(destination instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("PROXY protocol addresses must be two resolved IP socket addresses or two Unix ones");
        } else if (version == 1) {
            throw new IllegalArgumentException("PROXY protocol version 1 cannot carry Unix-domain addresses");
        }
    }

    /** Returns the value of the first TLV of {@code type} (a copy), or null when there is none. */
    public byte[] tlv(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return tlv.value();
            }
        }
        return null;
    }

    /** Returns the application protocol of {@link #PP2_TYPE_ALPN} (US-ASCII, e.g. {@code h2}), or null. */
    public String alpn() {
        byte[] v = tlv(PP2_TYPE_ALPN);
        return v == null ? null : new String(v, StandardCharsets.US_ASCII);
    }

    /** Returns the host name of {@link #PP2_TYPE_AUTHORITY} (the client's TLS SNI), or null. */
    public String authority() {
        byte[] v = tlv(PP2_TYPE_AUTHORITY);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Returns the opaque connection id of {@link #PP2_TYPE_UNIQUE_ID} (a copy), or null. */
    public byte[] uniqueId() {
        return tlv(PP2_TYPE_UNIQUE_ID);
    }

    /** Returns the TLS details of {@link #PP2_TYPE_SSL}, or null when the header has none. */
    public Ssl ssl() {
        byte[] v = tlv(PP2_TYPE_SSL);
        return v == null ? null : Ssl.decode(v);
    }

    /**
     * Returns the header's bytes on the wire, as a balancer sends them: version 1 as its text line,
     * version 2 in the binary form with every TLV in order, a {@link #PP2_TYPE_CRC32C} TLV filled with
     * the header's checksum. IPv4 and IPv6 addresses mixed in one header are sent as IPv6 (the IPv4 one
     * mapped). Parsing the result gives an equal header (up to a CRC32c value).
     *
     * @throws IllegalStateException when version 2 TLVs and addresses exceed 65,535 bytes, or a Unix
     *     path exceeds 107 bytes in UTF-8
     */
    public byte[] encode() {
        return ProxyHeaderWriter.encode(this);
    }

    /**
     * One version 2 type-length-value field.
     *
     * @param type the type, 0 to 255 (see the {@code PP2_TYPE_*} constants; {@code 0xE0}-{@code 0xEF} are
     *     for applications)
     * @param value the value, up to 65,535 bytes; copied in and out
     */
    public record Tlv(int type, byte[] value) {
        /**
         * Checks and copies the value.
         *
         * @throws IllegalArgumentException for a type outside 0..255 or a value over 65,535 bytes
         */
        public Tlv {
            if (type < 0 || type > 0xff) {
                throw new IllegalArgumentException("TLV type must be 0 to 255, not " + type);
            }
            if (value.length > 0xffff) {
                throw new IllegalArgumentException("TLV value of " + value.length + " bytes exceeds 65535");
            }
            value = value.clone();
        }

        /** Returns a copy of the value. */
        @Override
        public byte[] value() {
            return value.clone();
        }

        /** Returns the value's length without copying it. */
        public int length() {
            return value.length;
        }

        /** Two TLVs are equal when type and value bytes are. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[type=0x" + Integer.toHexString(type) + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /**
     * The {@link #PP2_TYPE_SSL} TLV: how the client reached the balancer over TLS.
     *
     * @param client the {@code PP2_CLIENT_*} bits: 1 the client used TLS, 2 it sent a certificate on this
     *     connection, 4 on this TLS session
     * @param verify 0 when the client's certificate was verified, non-zero otherwise
     * @param version the TLS version, e.g. {@code TLSv1.3}, or null
     * @param commonName the Common Name of the client certificate's subject, or null
     * @param cipher the cipher suite, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}, or null
     * @param signatureAlgorithm the signature algorithm of the balancer's certificate, or null
     * @param keyAlgorithm the key algorithm of the balancer's certificate, e.g. {@code RSA2048}, or null
     */
    public record Ssl(int client, long verify, String version, String commonName, String cipher,
                      String signatureAlgorithm, String keyAlgorithm) {
        /** Returns true when the client spoke TLS to the balancer. */
        public boolean isTls() {
            return (client & 0x01) != 0;
        }

        /** Returns true when the client presented a certificate and the balancer verified it. */
        public boolean isClientCertificateVerified() {
            return (client & 0x06) != 0 && verify == 0;
        }

        /**
         * Decodes the value of an SSL TLV.
         *
         * @throws IllegalArgumentException when it is shorter than 5 bytes or a sub-TLV overruns it
         */
        static Ssl decode(byte[] v) {
            return ProxyHeaderParser.decodeSsl(v);
        }
    }
}
