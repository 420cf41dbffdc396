package dev.ladle.server;

import dev.ladle.server.internal.SocketTransport;
import dev.ladle.server.internal.Transport;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * A connection taken from the server with {@link ServerMessage#stealConnection()}. The server no longer
 * reads, writes or closes it: the new owner must {@link #close()} it.
 *
 * <p>{@link #input()} first yields any bytes the server had already read past the current request
 * (for example the first bytes of a tunnelled protocol).
 *
 * @param input the connection's input
 * @param output the connection's output
 * @param localAddress the local address, or null when unknown
 * @param remoteAddress the peer's address, or null when unknown
 * @param closer closes the underlying socket or streams
 */
public record StolenConnection(InputStream input, OutputStream output, SocketAddress localAddress,
                               SocketAddress remoteAddress, Closeable closer) implements Closeable {
    /** Closes the underlying connection. */
    @Override
    public void close() throws IOException {
        closer.close();
    }

    /**
     * Ends the connection abortively: over TCP (plain or TLS) the peer gets a reset (RST, as with
     * {@code SO_LINGER} 0) instead of an orderly end, without any TLS alert, and bytes not yet sent are
     * dropped. A connection that is not a socket (streams given to {@link Server#acceptStream}) just
     * closes. Safe to call more than once.
     */
    public void reset() throws IOException {
        if (closer instanceof Transport transport) {
            transport.reset();
        } else {
            closer.close();
        }
    }

    /**
     * Half-closes a plain TCP connection: shuts its output down, so the peer reads the end of the stream
     * (FIN), while {@link #input()} stays open for what the peer still sends. {@link #close()} it later.
     *
     * @throws UnsupportedOperationException on a TLS connection, or one that is not a socket
     */
    public void shutdownOutput() throws IOException {
        if (!(closer instanceof SocketTransport transport) || transport.isSecure()) {
            throw new UnsupportedOperationException("only a plain TCP connection can be half-closed");
        }
        output.flush();
        transport.shutdownOutput();
    }
}
