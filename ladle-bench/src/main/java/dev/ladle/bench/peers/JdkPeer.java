package dev.ladle.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver} with a virtual thread per exchange; it has no WebSocket and
 * no HTTP/2.
 */
public final class JdkPeer implements BenchServer {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Starts the server as {@code options} say. */
    public JdkPeer(ServerOptions options) throws IOException {
        // Nagle off as in every other server; the JDK reads this property once, when its first server starts
        System.setProperty("sun.net.httpserver.nodelay", "true");
        InetSocketAddress address = new InetSocketAddress(Endpoints.HOST, options.port());
        if (options.tls()) {
            HttpsServer https = HttpsServer.create(address, 8192);
            https.setHttpsConfigurator(new HttpsConfigurator(options.sslContext()));
            server = https;
        } else {
            server = HttpServer.create(address, 8192);
        }
        server.setExecutor(executor);
        server.createContext(Endpoints.PLAINTEXT, ex -> answer(ex, Endpoints.TEXT_PLAIN, Endpoints.hello()));
        server.createContext(Endpoints.BYTES_16K, ex -> answer(ex, Endpoints.OCTET_STREAM, Endpoints.bytes16k()));
        server.createContext(Endpoints.ECHO, ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            answer(ex, Endpoints.OCTET_STREAM, body);
        });
        server.createContext(Endpoints.UPLOAD, ex -> {
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = ex.getRequestBody()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            }
            answer(ex, Endpoints.TEXT_PLAIN, Endpoints.uploadAnswer(received));
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public boolean hasWebSocket() {
        return false;
    }

    @Override
    public boolean hasHttp2() {
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
