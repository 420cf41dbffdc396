package dev.ladle.server.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One listening socket and the virtual thread that accepts on it, starting an {@link HttpConnection}
 * per client.
 */
public final class Listener implements Runnable {
    private static final System.Logger LOG = System.getLogger(Listener.class.getName());

    private final ServerState state;
    private final ServerSocketChannel channel;
    private final boolean https;
    private final boolean proxyProtocol;
    private final boolean ipv6Only;
    private final List<InetSocketAddress> alsoReported;
    private final AcceptBackoff backoff;
    private volatile boolean closed;
    /** True while the accept loop waits after a failed accept: the only wait {@link #close()} interrupts. */
    private volatile boolean backingOff;
    private Thread thread;

    /**
     * Creates a listener; {@link #start()} begins accepting.
     *
     * @param proxyProtocol every connection starts with a PROXY protocol header
     * @param ipv6Only refuse IPv4 clients (the JDK cannot make IPv6-only sockets itself)
     * @param alsoReported further addresses to report in {@link #uris()} (both families of a dual-stack socket)
     */
    public Listener(ServerState state, ServerSocketChannel channel, boolean https, boolean proxyProtocol,
                    boolean ipv6Only, List<InetSocketAddress> alsoReported) {
        this.state = state;
        this.channel = channel;
        this.https = https;
        this.proxyProtocol = proxyProtocol;
        this.ipv6Only = ipv6Only;
        this.alsoReported = List.copyOf(alsoReported);
        this.backoff = new AcceptBackoff(state.connections, state.counters);
    }

    /** Returns the listening channel. */
    public ServerSocketChannel channel() {
        return channel;
    }

    /** Returns true for an https listener. */
    public boolean https() {
        return https;
    }

    /** Returns true when every connection starts with a PROXY protocol header. */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    /** Starts the accept loop on a virtual thread. */
    public void start() {
        thread = Thread.ofVirtual().name("ladle-listener").start(this);
    }

    @Override
    public void run() {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // out of file descriptors or a transient network error: back off instead of spinning
                if (closed || !backOff(e)) {
                    return;
                }
                continue;
            }
            backoff.succeeded(this);
            try {
                serve(client);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "dropping a new connection: {0}", e.toString());
                closeQuietly(client);
            }
        }
    }

    /** Waits after a failed accept; false when {@link #close()} interrupted the wait. */
    private boolean backOff(IOException e) {
        backingOff = true;
        try {
            return !closed && backoff.failed(e, this);
        } finally {
            backingOff = false;
        }
    }

    private void serve(SocketChannel client) throws IOException {
        SocketAddress remote = client.getRemoteAddress();
        InetSocketAddress inet = remote instanceof InetSocketAddress a ? a : null;
        if (inet != null && ipv6Only && !(inet.getAddress() instanceof Inet6Address)) {
            closeQuietly(client);
            return;
        }
        // behind a PROXY header the peer is the balancer: the client's address is counted once the header named it
        InetAddress counted = inet == null || proxyProtocol ? null : inet.getAddress();
        ConnectionAdmission.Ticket ticket = state.admission.admit(counted, state.limits());
        if (ticket.verdict() != ConnectionAdmission.Verdict.ADMITTED) {
            state.refusal.refuse(state, client, https, ticket.verdict() == ConnectionAdmission.Verdict.SERVER_FULL
                    ? "too many connections" : "too many connections from your address");
            return;
        }
        try {
            if (inet != null) {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                HttpConnection.startAccepted(state, client.socket(), this, ticket);
            } else {
                SocketAddress local = client.getLocalAddress();
                HttpConnection.startAccepted(state, new StreamTransport(Channels.newInputStream(client),
                        Channels.newOutputStream(client), local, remote, client), this, ticket);
            }
        } catch (IOException | RuntimeException | Error e) {
            ticket.release();
            throw e;
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops accepting and closes the channel; connections already accepted are not touched. */
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing listener: {0}", e.toString());
        }
        Thread acceptor = thread;
        if (acceptor != null) {
            // Interrupted only in its back-off wait: closing the channel wakes a (virtual) thread in
            // accept(), whereas an interrupt that comes just as accept() took a connection makes
            // accept() throw and lose that connection's socket, open, for good (the JDK's
            // ServerSocketChannelImpl.accept ends with ClosedByInterruptException even then).
            if (backingOff) {
                acceptor.interrupt();
            }
            // The JDK closes the socket of a channel that a thread is blocked on only once that thread
            // has left accept(): until then the port still completes connections. Waiting for the
            // accept loop to end means the port is free when close() returns.
            if (acceptor != Thread.currentThread()) {
                try {
                    acceptor.join(java.time.Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public String toString() {
        try {
            return "listener on " + channel.getLocalAddress();
        } catch (IOException e) {
            return "listener";
        }
    }

    /** Returns the URIs this listener answers on. */
    public List<URI> uris() {
        List<URI> uris = new ArrayList<>();
        SocketAddress local;
        try {
            local = channel.getLocalAddress();
        } catch (IOException e) {
            return uris;
        }
        String scheme = https ? "https" : "http";
        if (local instanceof UnixDomainSocketAddress unix) {
            uris.add(URI.create(scheme + "+unix://" + URLEncoder.encode(unix.getPath().toString(), StandardCharsets.UTF_8) + "/"));
            return uris;
        }
        if (local instanceof InetSocketAddress inet) {
            for (InetSocketAddress extra : alsoReported) {
                uris.add(uri(scheme, extra.getAddress(), inet.getPort()));
            }
            uris.add(uri(scheme, inet.getAddress(), inet.getPort()));
        }
        return uris;
    }

    private static URI uri(String scheme, InetAddress address, int port) {
        String host = address instanceof Inet4Address ? address.getHostAddress() : "[" + ipv6Text(address.getAddress()) + "]";
        return URI.create(scheme + "://" + host + ":" + port + "/");
    }

    /** RFC 5952's text form of an IPv6 address: lower case, no leading zeros, the longest zero run as {@code ::}. */
    public static String ipv6Text(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
