package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocket;

/** A TCP connection (plain or TLS) through {@link Socket} streams, which support read timeouts. */
public class SocketTransport implements Transport {
    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private int currentTimeout = -1;

    /** Wraps a connected socket. */
    public SocketTransport(Socket socket) throws IOException {
        this(socket, socket.getOutputStream());
    }

    /** Wraps a connected socket whose writes go through {@code output}, a stream in front of the socket's own. */
    SocketTransport(Socket socket, OutputStream output) throws IOException {
        this.socket = socket;
        this.input = socket.getInputStream();
        this.output = output;
    }

    /** Returns the socket. */
    public Socket socket() {
        return socket;
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
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public boolean setReadTimeout(int millis) throws IOException {
        if (millis != currentTimeout) {
            socket.setSoTimeout(millis);
            currentTimeout = millis;
        }
        return true;
    }

    @Override
    public java.nio.channels.SocketChannel plainChannel() {
        return socket instanceof SSLSocket ? null : socket.getChannel();
    }

    @Override
    public boolean isSecure() {
        return socket instanceof SSLSocket;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (!(socket instanceof SSLSocket) && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
        }
    }

    @Override
    public void reset() {
        lingerZero(socket);
        close();
    }

    /** Makes the next close of {@code s} send RST instead of FIN. */
    static void lingerZero(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: there is nothing left to reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }
}
