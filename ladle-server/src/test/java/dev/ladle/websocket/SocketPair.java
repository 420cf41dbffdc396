package dev.ladle.websocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;

/**
 * A WebSocketConnection over one end of a real loopback TCP connection, the other end a {@link RawPeer}.
 */
final class SocketPair implements AutoCloseable {
    final Socket local;
    final RawPeer peer;
    final WebSocketConnection conn;
    final Recorder recorder;

    private SocketPair(Socket local, Socket remote, ConnectionType type, List<WebSocketExtension> extensions)
            throws IOException {
        this.local = local;
        this.peer = new RawPeer(remote, type == ConnectionType.SERVER);
        this.conn = new WebSocketConnection(local.getInputStream(), local.getOutputStream(), local,
                URI.create("ws://127.0.0.1/test"), type, null, null, extensions);
        this.recorder = new Recorder(conn);
    }

    /** A server-side connection (expects masked frames); not yet reading. */
    static SocketPair server(WebSocketExtension... extensions) throws IOException {
        return open(ConnectionType.SERVER, List.of(extensions));
    }

    /** A client-side connection (masks its frames); not yet reading. */
    static SocketPair client(WebSocketExtension... extensions) throws IOException {
        return open(ConnectionType.CLIENT, List.of(extensions));
    }

    private static SocketPair open(ConnectionType type, List<WebSocketExtension> extensions) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket remote = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Socket local = listener.accept();
            return new SocketPair(local, remote, type, extensions);
        }
    }

    /** Starts the connection's reader; returns this. */
    SocketPair start() {
        conn.start();
        return this;
    }

    @Override
    public void close() throws IOException {
        peer.close();
        local.close();
    }
}
