package dev.ladle.server.internal;

import dev.ladle.server.ProxyHeader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The start of a connection on a {@code PROXY_PROTOCOL} listener, before TLS and before any request:
 * the PROXY header within the header timeout, then the connection's place in the per-address cap
 * under the client's address (the balancer's for {@code LOCAL} and {@code UNKNOWN}), since behind a
 * balancer every connection comes from the balancer's own address.
 */
final class ProxyPreamble {
    private static final System.Logger LOG = System.getLogger(ProxyPreamble.class.getName());

    /**
     * What the start gave.
     *
     * @param header the header, or null when the connection was closed instead
     * @param ticket the connection's new place in the caps' counts, or null when it did not change
     */
    record Outcome(ProxyHeader header, ConnectionAdmission.Ticket ticket) {
    }

    private ProxyPreamble() {
    }

    /**
     * Reads the header from {@code transport}; without a valid one in time, closes the connection
     * without a word. Then counts it under the client's address; over that cap, refuses it.
     *
     * @param admitted the connection's place, counted in the total only; null when it has none
     * @param https true for an https listener (its refusal is a close: no TLS has been spoken yet)
     */
    static Outcome read(ServerState state, Transport transport, ConnectionAdmission.Ticket admitted, boolean https) {
        SocketAddress peer = transport.remoteAddress();
        ProxyHeader header;
        try {
            header = ProxyHeaderReader.read(transport, System.nanoTime() + state.limits().getHeaderTimeout().toNanos());
            transport.setReadTimeout(0);
        } catch (IOException e) {
            // a balancer that speaks the protocol never gets here: say why in the log, nothing to the peer
            LOG.log(System.Logger.Level.DEBUG, "closing a connection from {0} that did not start with a valid"
                    + " PROXY header: {1}", peer, e.getMessage());
            transport.close();
            return new Outcome(null, null);
        }
        if (admitted == null) {
            return new Outcome(header, null);
        }
        SocketAddress client = header.sourceAddress() != null ? header.sourceAddress() : peer;
        InetAddress address = client instanceof InetSocketAddress inet ? inet.getAddress() : null;
        ConnectionAdmission.Ticket ticket = state.admission.addAddress(admitted, address, state.limits());
        if (ticket.verdict() == ConnectionAdmission.Verdict.ADMITTED) {
            return new Outcome(header, ticket);
        }
        admitted.release();
        state.refusal.refuseNow(state, transport, https, "too many connections from your address");
        return new Outcome(null, null);
    }
}
