package dev.ladle.bench.peers;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import dev.ladle.http.Status;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ladle on its public API, answering the same endpoints as the peers. The echo sends the request body back
 * from where it was read ({@code MessageBody.appendShared}). The upload is streamed: an early handler
 * turns accumulation off and counts the chunks as they arrive, so the body never sits in the heap. WebSocket messages at {@code /ws} are sent back as they came; https uses the benchmark's
 * PKCS#12 key.
 */
public final class LadlePeer implements BenchServer {
    private final Server server = new Server();
    /** Bytes counted per upload in flight, from the early handler to the normal one. */
    private final Map<ServerMessage, AtomicLong> uploads = new ConcurrentHashMap<>();

    /** Starts the server as {@code options} say. */
    public LadlePeer(ServerOptions options) throws Exception {
        server.addHandler(Endpoints.PLAINTEXT, (srv, msg, path, query) -> {
            msg.setResponse(Endpoints.TEXT_PLAIN, Endpoints.hello());
            msg.setStatus(Status.OK);
        });
        server.addHandler(Endpoints.BYTES_16K, (srv, msg, path, query) -> {
            msg.setResponse(Endpoints.OCTET_STREAM, Endpoints.bytes16k());
            msg.setStatus(Status.OK);
        });
        server.addHandler(Endpoints.ECHO, (srv, msg, path, query) -> {
            // the request body goes back from where it was read, as Netty's composite buffer does: no copy
            msg.getResponseBody().appendShared(msg.getRequestBody());
            msg.getResponseHeaders().replace("Content-Type", Endpoints.OCTET_STREAM);
            msg.setStatus(Status.OK);
        });
        server.addEarlyHandler(Endpoints.UPLOAD, (srv, msg, path, query) -> {
            AtomicLong received = new AtomicLong();
            uploads.put(msg, received);
            // an upload the client abandons never reaches the handler below: forget it then too
            msg.onFinished(() -> uploads.remove(msg));
            msg.getRequestBody().setAccumulate(false);
            msg.onGotChunk(chunk -> received.addAndGet(chunk.remaining()));
        });
        server.addHandler(Endpoints.UPLOAD, (srv, msg, path, query) -> {
            AtomicLong received = uploads.remove(msg);
            msg.setResponse(Endpoints.TEXT_PLAIN, Endpoints.uploadAnswer(received == null ? 0 : received.get()));
            msg.setStatus(Status.OK);
        });
        server.addWebSocketHandler(Endpoints.WEBSOCKET, null, null,
                (srv, msg, path, connection) -> connection.onMessage(connection::sendMessage));
        Set<ListenOption> listen = Set.of();
        if (options.tls()) {
            server.setTlsCertificate(TlsCertificate.fromPkcs12(options.keyStore(), options.keyStorePassword()));
            listen = Set.of(ListenOption.HTTPS);
        }
        server.listen(new InetSocketAddress(Endpoints.HOST, options.port()), listen);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.getListeners().get(0).socket().getLocalSocketAddress()).getPort();
    }

    @Override
    public boolean hasWebSocket() {
        return true;
    }

    /** Ladle serves h2c by prior knowledge and h2 through ALPN by default. */
    @Override
    public boolean hasHttp2() {
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
