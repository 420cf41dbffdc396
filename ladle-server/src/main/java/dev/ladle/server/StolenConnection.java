package dev.ladle.server;

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
}
