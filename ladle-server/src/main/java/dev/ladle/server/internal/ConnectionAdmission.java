package dev.ladle.server.internal;

import dev.ladle.server.Limits;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the connections a server's listeners hold open, in total and per remote address, and admits
 * a new one only under {@link Limits#getMaxConnections()} and {@link Limits#getMaxConnectionsPerAddress()}.
 * Counting is increment-then-check, so concurrent accepts on several listeners never admit more than
 * the cap (at worst one of them is refused while another is being counted).
 */
final class ConnectionAdmission {
    /** Why a connection was refused, or that it was not. */
    enum Verdict { ADMITTED, SERVER_FULL, ADDRESS_FULL }

    /**
     * The answer to one connection: refused (with the reason), or admitted with a place in the counts
     * that {@link #release()} gives back once.
     */
    static final class Ticket {
        private static final Ticket SERVER_FULL = new Ticket(null, null, Verdict.SERVER_FULL);
        private static final Ticket ADDRESS_FULL = new Ticket(null, null, Verdict.ADDRESS_FULL);

        private final ConnectionAdmission admission;
        /** The address counted per address, or null when only the total counted it. */
        private final InetAddress address;
        private final Verdict verdict;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(ConnectionAdmission admission, InetAddress address, Verdict verdict) {
            this.admission = admission;
            this.address = address;
            this.verdict = verdict;
        }

        /** Returns whether the connection was admitted, or which cap refused it. */
        Verdict verdict() {
            return verdict;
        }

        /** Gives the place back (the connection closed or was stolen); later calls, and refused tickets, do nothing. */
        void release() {
            if (admission != null && released.compareAndSet(false, true)) {
                admission.release(address);
            }
        }
    }

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final ResourceCounters counters;

    ConnectionAdmission(ResourceCounters counters) {
        this.counters = counters;
    }

    /**
     * Admits a connection from {@code address} (null when it has none, as a Unix-domain client) under
     * {@code limits}; returns its ticket, whose verdict says whether a cap refused it (then counted).
     */
    Ticket admit(InetAddress address, Limits limits) {
        if (total.incrementAndGet() > limits.getMaxConnections()) {
            total.decrementAndGet();
            counters.refusedByServerLimit.increment();
            return Ticket.SERVER_FULL;
        }
        int perAddressCap = limits.getMaxConnectionsPerAddress();
        if (address == null || perAddressCap == Integer.MAX_VALUE) {
            return new Ticket(this, null, Verdict.ADMITTED);
        }
        if (perAddress.merge(address, 1, Integer::sum) > perAddressCap) {
            release(address);
            counters.refusedByAddressLimit.increment();
            return Ticket.ADDRESS_FULL;
        }
        return new Ticket(this, address, Verdict.ADMITTED);
    }

    /**
     * Counts an admitted connection that {@link #admit} counted in the total only (a PROXY protocol
     * listener's, before its header named the client) under {@code address} as well. Returns the ticket
     * that now holds both places, {@code ticket} being spent; a refusal when the address is over its cap
     * (counted, and {@code ticket} still holds the total); or {@code ticket} itself when there is nothing
     * to count (no address, no cap, a ticket that already has an address or was released).
     */
    Ticket addAddress(Ticket ticket, InetAddress address, Limits limits) {
        int perAddressCap = limits.getMaxConnectionsPerAddress();
        if (address == null || perAddressCap == Integer.MAX_VALUE || ticket.admission != this || ticket.address != null) {
            return ticket;
        }
        if (perAddress.merge(address, 1, Integer::sum) > perAddressCap) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            counters.refusedByAddressLimit.increment();
            return Ticket.ADDRESS_FULL;
        }
        if (!ticket.released.compareAndSet(false, true)) {
            // the connection ended meanwhile and gave its place back
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            return ticket;
        }
        return new Ticket(this, address, Verdict.ADMITTED);
    }

    private void release(InetAddress address) {
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
        total.decrementAndGet();
    }

    /** Returns the connections counted now. */
    int open() {
        return total.get();
    }
}
