package dev.ladle.server.internal;

import dev.ladle.http.MessageHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The de-facto {@code X-Forwarded-*} fields as {@link ForwardedHop}s: {@code X-Forwarded-For} is the
 * chain (each proxy appends the address it received from), while {@code -Proto}, {@code -Host} and
 * {@code -Port} usually hold one value that the proxy in front set for the client's connection. A field
 * with one value applies to whichever hop the walk picks; one with a value per hop of
 * {@code X-Forwarded-For} gives each hop its own; any other count is ignored.
 */
final class XForwardedFields {
    private XForwardedFields() {
    }

    /**
     * Returns the hops, left to right, or null when the request has none of the fields.
     *
     * @param requestAuthority the request's own authority, for an {@code X-Forwarded-Port} without
     *     {@code X-Forwarded-Host}
     */
    static List<ForwardedHop> hops(MessageHeaders headers, Supplier<String> requestAuthority) {
        List<String> chain = values(headers, "X-Forwarded-For");
        List<String> protos = values(headers, "X-Forwarded-Proto");
        List<String> hosts = values(headers, "X-Forwarded-Host");
        List<String> ports = values(headers, "X-Forwarded-Port");
        if (chain.isEmpty() && protos.isEmpty() && hosts.isEmpty() && ports.isEmpty()) {
            return null;
        }
        int n = Math.max(1, chain.size());
        List<ForwardedHop> hops = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String host = ForwardedHop.authority(at(hosts, k, n));
            String port = at(ports, k, n);
            if (port != null && ForwardedHop.port(port) > 0) {
                String base = host != null ? host : requestAuthority.get();
                host = base == null ? null : ForwardedHop.authority(withoutPort(base) + ":" + port);
            }
            hops.add(new ForwardedHop(chain.isEmpty() ? null : ForwardedHop.node(chain.get(k)),
                    ForwardedHop.scheme(at(protos, k, n)), host));
        }
        return hops;
    }

    /** The value for hop {@code k} of {@code n}: the only one, or the k-th of n; else null. */
    private static String at(List<String> values, int k, int n) {
        if (values.size() == 1) {
            return values.get(0);
        }
        return values.size() == n ? values.get(k) : null;
    }

    /** All the field's comma-separated values, trimmed, empty ones dropped, across its lines. */
    private static List<String> values(MessageHeaders headers, String name) {
        List<String> out = new ArrayList<>();
        for (String line : headers.getAll(name)) {
            for (String v : line.split(",")) {
                String t = v.strip();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** {@code host[:port]} without the port; brackets of an IPv6 host kept. */
    private static String withoutPort(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
    }
}
