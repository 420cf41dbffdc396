package dev.ladle.bench.peers;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12 on its core API (no servlets): one handler for the HTTP endpoints behind Jetty's WebSocket
 * upgrade handler, which answers {@code /ws} with an echo endpoint. HTTP/2 shares the port with
 * HTTP/1.1: the plain connector has an h2c factory (a connection starting with the HTTP/2 preface, or
 * upgrading, switches to it), the TLS one lets ALPN choose between h2 and http/1.1.
 */
public final class JettyPeer implements BenchServer {
    private final Server server;
    private final ServerConnector connector;

    /** Starts the server as {@code options} say. */
    public JettyPeer(ServerOptions options) throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        HttpConnectionFactory http = new HttpConnectionFactory(config);
        if (options.tls()) {
            config.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(options.sslContext());
            ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(http.getProtocol());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                    new HTTP2ServerConnectionFactory(config), http);
        } else {
            connector = new ServerConnector(server, http, new HTTP2CServerConnectionFactory(config));
        }
        connector.setAcceptedTcpNoDelay(true);
        connector.setHost(Endpoints.HOST);
        connector.setPort(options.port());
        connector.setAcceptQueueSize(8192);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server,
                container -> container.addMapping(Endpoints.WEBSOCKET, (rq, rs, cb) -> new Echo()));
        ws.setHandler(new HttpEndpoints());
        server.setHandler(ws);
        server.start();
    }

    @Override
    public int port() {
        return connector.getLocalPort();
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
    public void close() throws Exception {
        server.stop();
    }

    /** The HTTP endpoints; blocking is allowed here (only the upload reads as a stream). */
    private static final class HttpEndpoints extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (path.equals(Endpoints.PLAINTEXT) && method.equals("GET")) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, Endpoints.TEXT_PLAIN);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Endpoints.hello().length);
                response.write(true, ByteBuffer.wrap(Endpoints.hello()), callback);
            } else if (path.equals(Endpoints.BYTES_16K) && method.equals("GET")) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, Endpoints.OCTET_STREAM);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Endpoints.bytes16k().length);
                response.write(true, ByteBuffer.wrap(Endpoints.bytes16k()), callback);
            } else if (path.equals(Endpoints.ECHO) && method.equals("POST")) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, Endpoints.OCTET_STREAM);
                long length = request.getLength();
                if (length >= 0) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
                }
                Content.copy(request, response, callback);
            } else if (path.equals(Endpoints.UPLOAD) && method.equals("POST")) {
                long received = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = Content.Source.asInputStream(request)) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        received += n;
                    }
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, Endpoints.TEXT_PLAIN);
                response.write(true, ByteBuffer.wrap(Endpoints.uploadAnswer(received)), callback);
            } else {
                return false;
            }
            return true;
        }
    }

    /** Sends every message back; the frame callback completes once the echo is written. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            session.sendBinary(payload, callback);
        }
    }
}
