package dev.ladle.bench.peers;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.io.IOException;
import java.io.InputStream;

/**
 * Helidon 4 SE (Níma): virtual thread per request, blocking handlers on its routing API, and
 * Helidon's WebSocket echo at {@code /ws}. HTTP/2 comes from the {@code helidon-webserver-http2} module
 * on the class path, found by Helidon's service loader: the same routing answers h2c (prior knowledge
 * or upgrade) on the plain port and h2 by ALPN on the TLS port.
 */
public final class HelidonPeer implements BenchServer {
    private final WebServer server;

    /** Starts the server as {@code options} say. */
    public HelidonPeer(ServerOptions options) {
        WebServerConfig.Builder builder = WebServer.builder()
                .host(Endpoints.HOST)
                .port(options.port())
                // Helidon leaves Nagle on; the other servers turn it off, and small echoes wait on it
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.get(Endpoints.PLAINTEXT, HelidonPeer::plaintext)
                        .get(Endpoints.BYTES_16K, HelidonPeer::bytes16k)
                        .post(Endpoints.ECHO, HelidonPeer::echo)
                        .post(Endpoints.UPLOAD, HelidonPeer::upload))
                .addRouting(WsRouting.builder().endpoint(Endpoints.WEBSOCKET, new Echo()));
        if (options.tls()) {
            builder.tls(t -> t.sslContext(options.sslContext()));
        }
        server = builder.build().start();
    }

    private static void plaintext(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
        res.send(Endpoints.hello());
    }

    private static void bytes16k(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_OCTET_STREAM);
        res.send(Endpoints.bytes16k());
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_OCTET_STREAM);
        res.send(req.content().as(byte[].class));
    }

    private static void upload(ServerRequest req, ServerResponse res) throws IOException {
        long received = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = req.content().inputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received += n;
            }
        }
        res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
        res.send(Endpoints.uploadAnswer(received));
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public boolean hasWebSocket() {
        return true;
    }

    @Override
    public boolean hasHttp2() {
        return true;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Sends every message (or fragment) back; Helidon reuses the buffer, so binary data is copied. */
    private static final class Echo implements WsListener {
        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            session.send(text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            session.send(BufferData.create(buffer.readBytes()), last);
        }
    }
}
