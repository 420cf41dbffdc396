package dev.ladle.server.internal;

import dev.ladle.http.MessageHeaders;
import dev.ladle.server.TrustedProxies;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * What trusted forwarding headers say about a request's client (see {@link TrustedProxies}); a null
 * part leaves the connection's own value standing.
 *
 * @param address the client's address, or null
 * @param scheme {@code http} or {@code https}, or null
 * @param authority the Host the client used, or null
 */
record ForwardedClient(InetSocketAddress address, String scheme, String authority) {
    /** Nothing forwarded: the connection's values stand. */
    static final ForwardedClient NONE = new ForwardedClient(null, null, null);

    /**
     * Resolves a request's client: nothing unless {@code peer} is trusted; then {@code Forwarded} when
     * read and well-formed, else the {@code X-Forwarded-*} fields when read, walked from the right.
     *
     * @param peer the connection's client (after a PROXY header, if any)
     * @param headers the request's header fields, asked for only when the peer is trusted
     * @param requestAuthority the request's own authority, for a forwarded port without a host
     */
    static ForwardedClient resolve(TrustedProxies trusted, SocketAddress peer, Supplier<MessageHeaders> headers,
                                   Supplier<String> requestAuthority) {
        if (trusted.isEmpty() || !trusted.trusts(peer)) {
            return NONE;
        }
        MessageHeaders fields = headers.get();
        List<ForwardedHop> hops = null;
        if (trusted.headers().contains(TrustedProxies.Header.FORWARDED)) {
            hops = ForwardedField.parse(fields.getAll("Forwarded"));
        }
        if (hops == null && trusted.headers().contains(TrustedProxies.Header.X_FORWARDED)) {
            hops = XForwardedFields.hops(fields, requestAuthority);
        }
        return hops == null ? NONE : walk(trusted, hops);
    }

    /**
     * Walks {@code hops} from the right past trusted proxies; the first untrusted hop (or the left-most,
     * when all are trusted) is the client. A hop without a usable address ends the walk: the address is
     * then the last one established (the trusted proxy that reported it, or the peer). Scheme and
     * authority come from the chosen hop.
     */
    static ForwardedClient walk(TrustedProxies trusted, List<ForwardedHop> hops) {
        InetSocketAddress established = null;
        for (int k = hops.size() - 1; k >= 0; k--) {
            ForwardedHop hop = hops.get(k);
            InetSocketAddress address = hop.address();
            if (address == null) {
                return new ForwardedClient(established, hop.scheme(), hop.authority());
            }
            if (k == 0 || !trusted.trusts(address.getAddress())) {
                return new ForwardedClient(address, hop.scheme(), hop.authority());
            }
            established = address;
        }
        return NONE;
    }
}
