package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns away a connection that a connection cap refused, without blocking the accept loop: a plain one
 * gets an HTTP/1.1 503 with {@code Retry-After} and a lingering close on a short-lived virtual thread;
 * an https one, or any one while {@link #MAX_IN_FLIGHT} refusals are still being answered, is closed
 * at once. The refusal never reads or parses the request: it only reads the client's bytes away so that
 * closing does not reset the connection before the client read the answer.
 */
final class ConnectionRefusal {
    private static final System.Logger LOG = System.getLogger(ConnectionRefusal.class.getName());
    /** Most refusals answered at once: beyond this, an attacker's flood costs one close per connection. */
    static final int MAX_IN_FLIGHT = 128;
    /** How long and how much a refusal reads away after its answer before it closes. */
    private static final int LINGER_MILLIS = 1000;
    private static final int LINGER_READ_TIMEOUT_MILLIS = 200;
    private static final int LINGER_BYTES = 64 * 1024;
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("ladle-refusal");

    private final AtomicInteger inFlight = new AtomicInteger();

    /** Refuses {@code client} (already counted as refused); {@code reason} goes into the 503's body. */
    void refuse(ServerState state, SocketChannel client, boolean https, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "refusing a connection: {0}", reason);
        if (https || inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            if (!https) {
                inFlight.decrementAndGet();
            }
            closeQuietly(client);
            return;
        }
        try {
            THREADS.start(() -> {
                try {
                    answer(new SocketTransport(client.socket()), UnavailableAnswer.http1(state, false, reason));
                } catch (IOException e) {
                    // the socket closed under us: nothing to answer
                } finally {
                    closeQuietly(client);
                    inFlight.decrementAndGet();
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) {
            inFlight.decrementAndGet();
            closeQuietly(client);
        }
    }

    /**
     * Refuses a connection on the calling thread, which serves it (a cap refused the client a PROXY
     * header named): a plain one gets the 503 and a lingering close, an https one, whose TLS handshake
     * has not begun, is closed at once.
     */
    void refuseNow(ServerState state, Transport transport, boolean https, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "refusing a connection: {0}", reason);
        try {
            if (!https) {
                answer(transport, UnavailableAnswer.http1(state, false, reason));
            }
        } finally {
            transport.close();
        }
    }

    /** Writes the answer, ends our side, then reads the client's bytes away for a moment. */
    private static void answer(Transport transport, byte[] response) {
        try {
            // a few hundred bytes: the socket's send buffer takes them without blocking
            transport.output().write(response);
            transport.output().flush();
            transport.shutdownOutput();
            transport.setReadTimeout(LINGER_READ_TIMEOUT_MILLIS);
            InputStream in = transport.input();
            byte[] sink = new byte[4096];
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            int drained = 0;
            int n;
            while (drained < LINGER_BYTES && System.nanoTime() < deadline && (n = in.read(sink)) > 0) {
                drained += n;
            }
        } catch (IOException e) {
            // the client left or stayed silent: either way we close now
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
