package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * A connection given as a pair of streams: {@code Server.acceptStream}, or a Unix-domain channel.
 * Reads cannot time out, so the server's header and idle timeouts do not apply.
 */
public final class StreamTransport implements Transport {
    private final InputStream input;
    private final OutputStream output;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final AutoCloseable closer;

    /**
     * Wraps streams.
     *
     * @param closer closes the underlying connection; null to close the two streams
     */
    public StreamTransport(InputStream input, OutputStream output, SocketAddress local, SocketAddress remote,
                           AutoCloseable closer) {
        this.input = input;
        this.output = output;
        this.local = local;
        this.remote = remote;
        this.closer = closer;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean setReadTimeout(int millis) {
        return false;
    }

    @Override
    public void shutdownOutput() throws IOException {
        output.flush();
    }

    @Override
    public void close() {
        if (closer != null) {
            try {
                closer.close();
            } catch (Exception e) {
                // closing: nothing left to do with the error
            }
            return;
        }
        try {
            output.close();
        } catch (IOException e) {
            // ignore: the input is closed next either way
        }
        try {
            input.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }
}
