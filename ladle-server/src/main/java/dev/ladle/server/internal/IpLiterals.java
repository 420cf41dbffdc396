package dev.ladle.server.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Strict IP address literals, for addresses that other parties send (PROXY headers, forwarding headers)
 * and that configuration names: never a name lookup, never a zone, no octal or shortened IPv4 forms.
 */
public final class IpLiterals {
    private static final int IPV4_PARTS = 4;

    private IpLiterals() {
    }

    /**
     * Parses a dotted-quad IPv4 address: exactly four decimal numbers 0-255 without leading zeros.
     *
     * @return the address, or null when {@code s} is not one
     */
    public static Inet4Address ipv4(String s) {
        byte[] bytes = new byte[IPV4_PARTS];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            bytes[part++] = (byte) value;
            if (part == IPV4_PARTS) {
                return i == n ? (Inet4Address) byAddress(bytes) : null;
            }
            if (i == n || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /**
     * Parses an IPv6 address in RFC 4291 text form (no brackets, no zone). An IPv4-mapped address
     * ({@code ::ffff:a.b.c.d}) comes back as its {@link Inet4Address}, as the JDK reports such peers.
     *
     * @return the address, or null when {@code s} is not one
     */
    public static InetAddress ipv6(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (s.isEmpty() || s.length() != b.length || !Hosts.isIpv6Address(b, 0, b.length)) {
            return null;
        }
        try {
            // a checked literal: the JDK parses it without any lookup
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Parses an IPv4 or IPv6 literal as {@link #ipv4} or {@link #ipv6} do; null when it is neither. */
    public static InetAddress parse(String s) {
        return s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    }

    /** Returns the address of {@code bytes} (4 or 16 of them). */
    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }
}
