package dev.ladle.server;

import dev.ladle.server.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The proxies whose forwarding headers a {@link Server} believes ({@link Server#setTrustedProxies}):
 * IP addresses and CIDR ranges, IPv4 and IPv6, and optionally Unix-domain peers. Immutable.
 *
 * <p>When the peer of a connection (after a PROXY protocol header, if the listener reads one) is
 * trusted, a request's {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For}/{@code -Proto}/
 * {@code -Host}/{@code -Port} fields decide its {@link ServerMessage#getRemoteAddress()},
 * {@link ServerMessage#getUri()} (scheme and authority) and {@link ServerMessage#isSecure()}. The chain
 * of addresses is walked from the right, the nearest hop first, skipping trusted proxies: the first
 * untrusted hop is the client, since every hop left of it may be made up by the client. A hop that is
 * {@code unknown}, obfuscated or malformed ends the walk at the trusted proxy that reported it. From an
 * untrusted peer the fields are ignored, and malformed values are ignored, never answered with an error.
 *
 * <p>Both header families are read by default, {@code Forwarded} winning when a request has a
 * well-formed one. A client can send either family itself, and a proxy passes on what it does not
 * rewrite: when your proxies set only one family, say so with {@link #withHeaders}, or a client can
 * name its own address in the other.
 */
public final class TrustedProxies {
    /** Trusts nobody: forwarding headers are ignored (the default). */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), false, EnumSet.allOf(Header.class));

    /** The families of forwarding headers. */
    public enum Header {
        /** {@code Forwarded} (RFC 7239): {@code for}, {@code proto} and {@code host}. */
        FORWARDED,
        /** {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-Port}. */
        X_FORWARDED
    }

    private final List<Range> ranges;
    private final boolean unixPeers;
    private final Set<Header> headers;

    private TrustedProxies(List<Range> ranges, boolean unixPeers, Set<Header> headers) {
        this.ranges = List.copyOf(ranges);
        this.unixPeers = unixPeers;
        this.headers = Set.copyOf(headers);
    }

    /**
     * Trusts the given proxies, each an IP address ({@code 10.0.0.7}, {@code ::1}, also bracketed), a
     * CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or {@code unix} for every Unix-domain peer.
     * Names are never looked up.
     *
     * @throws IllegalArgumentException naming an entry that is none of these, or a range with bits set
     *     past its prefix (such as {@code 10.0.0.1/8})
     */
    public static TrustedProxies of(String... entries) {
        return of(Arrays.asList(entries));
    }

    /** As {@link #of(String...)}, from a collection (command-line values, configuration). */
    public static TrustedProxies of(Collection<String> entries) {
        List<Range> ranges = new ArrayList<>();
        boolean unix = false;
        for (String entry : entries) {
            String e = Objects.requireNonNull(entry, "entry").trim();
            if (e.toLowerCase(Locale.ROOT).equals("unix")) {
                unix = true;
            } else {
                ranges.add(Range.parse(e));
            }
        }
        return new TrustedProxies(new ArrayList<>(new LinkedHashSet<>(ranges)), unix, EnumSet.allOf(Header.class));
    }

    /**
     * Returns a copy that reads only the given header families.
     *
     * @throws IllegalArgumentException when none is given
     */
    public TrustedProxies withHeaders(Header... families) {
        if (families.length == 0) {
            throw new IllegalArgumentException("name at least one header family");
        }
        return new TrustedProxies(ranges, unixPeers, EnumSet.copyOf(Arrays.asList(families)));
    }

    /** Returns the header families read. */
    public Set<Header> headers() {
        return headers;
    }

    /** Returns true when this trusts nobody. */
    public boolean isEmpty() {
        return ranges.isEmpty() && !unixPeers;
    }

    /** Returns true when {@code address} is one of the trusted addresses or in one of the ranges. */
    public boolean trusts(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] b = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(b)) {
                return true;
            }
        }
        return false;
    }

    /** Returns true for a trusted IP peer, or a Unix-domain peer when {@code unix} is trusted; false for null. */
    public boolean trusts(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet) {
            return trusts(inet.getAddress());
        }
        return peer instanceof UnixDomainSocketAddress && unixPeers;
    }

    /** Returns the entries in their normal form ({@code 10.0.0.0/8}, {@code 2001:db8::1/128}, {@code unix}). */
    public List<String> entries() {
        List<String> out = new ArrayList<>();
        for (Range r : ranges) {
            out.add(r.toString());
        }
        if (unixPeers) {
            out.add("unix");
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.ranges.equals(ranges) && t.unixPeers == unixPeers && t.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ranges, unixPeers, headers);
    }

    @Override
    public String toString() {
        return "TrustedProxies" + entries() + " reading " + headers;
    }

    /** One address range: the network's bytes and how many leading bits must match. */
    private record Range(InetAddress network, int prefix) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            if (host.length() > 2 && host.startsWith("[") && host.endsWith("]") && host.indexOf(':') >= 0) {
                host = host.substring(1, host.length() - 1);
            }
            InetAddress address = IpLiterals.parse(host);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address, CIDR range or \"unix\": \"" + entry
                        + "\" (names are not looked up)");
            }
            int bits = address.getAddress().length * 8;
            // an IPv4-mapped IPv6 range (::ffff:a.b.c.d/n) is the IPv4 range a.b.c.d/(n-96)
            int offset = address instanceof Inet4Address && host.indexOf(':') >= 0 ? 96 : 0;
            int prefix = slash < 0 ? bits : prefixLength(entry, entry.substring(slash + 1), offset, bits);
            Range range = new Range(address, prefix);
            if (hasHostBits(address.getAddress(), prefix)) {
                throw new IllegalArgumentException("\"" + entry + "\" has bits set past its /" + (prefix + offset)
                        + " prefix (did you mean " + range.masked() + "?)");
            }
            return range;
        }

        private static int prefixLength(String entry, String text, int offset, int bits) {
            boolean digits = !text.isEmpty() && text.length() <= 3 && text.chars().allMatch(c -> c >= '0' && c <= '9');
            int n = digits ? Integer.parseInt(text) - offset : -1;
            if (n < 0 || n > bits) {
                throw new IllegalArgumentException("bad prefix length in \"" + entry + "\": a number from " + offset
                        + " to " + (bits + offset));
            }
            return n;
        }

        private static boolean hasHostBits(byte[] b, int prefix) {
            for (int i = prefix; i < b.length * 8; i++) {
                if ((b[i / 8] >> (7 - i % 8) & 1) != 0) {
                    return true;
                }
            }
            return false;
        }

        boolean contains(byte[] candidate) {
            byte[] n = network.getAddress();
            if (candidate.length != n.length) {
                return false;
            }
            int whole = prefix / 8;
            if (!Arrays.equals(n, 0, whole, candidate, 0, whole)) {
                return false;
            }
            int rest = prefix % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (n[whole] & mask) == (candidate[whole] & mask);
        }

        /** The network with the bits past the prefix cleared, as text. */
        String masked() {
            byte[] b = network.getAddress();
            for (int i = prefix; i < b.length * 8; i++) {
                b[i / 8] &= (byte) ~(1 << (7 - i % 8));
            }
            try {
                return new Range(InetAddress.getByAddress(b), prefix).toString();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            String text = network instanceof Inet4Address ? network.getHostAddress()
                    : dev.ladle.server.internal.Listener.ipv6Text(network.getAddress());
            return text + "/" + prefix;
        }
    }
}
