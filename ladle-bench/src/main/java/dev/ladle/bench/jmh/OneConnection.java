package dev.ladle.bench.jmh;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.Main;
import dev.ladle.bench.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A server started in this JVM and one client connection to it: the fixture of the JMH benchmarks that
 * measure one exchange at a time end to end ({@link EndToEndBenchmark}, {@link WebSocketEchoBenchmark}).
 *
 * @param server the running server
 * @param socket the connection, with {@code TCP_NODELAY} and no read timeout
 * @param in the connection's input
 * @param out the connection's output
 */
record OneConnection(BenchServer server, Socket socket, InputStream in, OutputStream out) {
    /** Starts {@code name} (a name {@link Main#SERVERS} knows) on a free port and connects to it. */
    static OneConnection open(String name) throws Exception {
        BenchServer server = Main.start(name, ServerOptions.plain(0));
        Socket socket = Endpoints.connect(Endpoints.HOST, server.port(), 0);
        return new OneConnection(server, socket, socket.getInputStream(), socket.getOutputStream());
    }

    /**
     * Reads exactly {@code n} bytes into the start of {@code buffer}.
     *
     * @throws IOException when the server closes the connection first
     */
    void readFully(byte[] buffer, int n) throws IOException {
        int filled = 0;
        while (filled < n) {
            int got = in.read(buffer, filled, n - filled);
            if (got < 0) {
                throw new IOException("server closed the connection");
            }
            filled += got;
        }
    }

    /** Closes the connection, then stops the server. */
    void close() throws Exception {
        socket.close();
        server.close();
    }
}
