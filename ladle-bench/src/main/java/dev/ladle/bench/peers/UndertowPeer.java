package dev.ladle.bench.peers;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.xnio.Options;
import org.xnio.Pooled;

/**
 * Undertow 2 on its core API: non-blocking handlers on the I/O threads (the fastest way to use it),
 * a path handler for routing and Undertow's WebSocket echo at {@code /ws}. {@code ENABLE_HTTP2} adds
 * h2c (prior knowledge and upgrade) to the plain listener and h2 by ALPN to the TLS one.
 */
public final class UndertowPeer implements BenchServer {
    private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(Endpoints.hello().length)
            .order(ByteOrder.BIG_ENDIAN).put(Endpoints.hello()).flip();
    private static final ByteBuffer BYTES_16K = ByteBuffer.allocateDirect(Endpoints.bytes16k().length)
            .put(Endpoints.bytes16k()).flip();

    private final Undertow server;

    /** Starts the server as {@code options} say. */
    public UndertowPeer(ServerOptions options) {
        HttpHandler routes = Handlers.path()
                .addExactPath(Endpoints.PLAINTEXT, UndertowPeer::plaintext)
                .addExactPath(Endpoints.BYTES_16K, UndertowPeer::bytes16k)
                .addExactPath(Endpoints.ECHO, UndertowPeer::echo)
                .addExactPath(Endpoints.UPLOAD, UndertowPeer::upload)
                .addExactPath(Endpoints.WEBSOCKET, Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new Echo());
                    channel.resumeReceives();
                }));
        // the default entity limit would cut the 2 GiB upload short; every peer takes bodies of any size
        Undertow.Builder builder = Undertow.builder().setHandler(routes)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setSocketOption(Options.TCP_NODELAY, true);
        if (options.tls()) {
            builder.addHttpsListener(options.port(), Endpoints.HOST, options.sslContext());
        } else {
            builder.addHttpListener(options.port(), Endpoints.HOST);
        }
        server = builder.build();
        server.start();
    }

    private static void plaintext(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED).endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Endpoints.TEXT_PLAIN);
        exchange.getResponseSender().send(HELLO.duplicate());
    }

    private static void bytes16k(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED).endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Endpoints.OCTET_STREAM);
        exchange.getResponseSender().send(BYTES_16K.duplicate());
    }

    private static void echo(HttpServerExchange exchange) {
        exchange.getRequestReceiver().receiveFullBytes((ex, data) -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Endpoints.OCTET_STREAM);
            ex.getResponseSender().send(ByteBuffer.wrap(data));
        });
    }

    private static void upload(HttpServerExchange exchange) {
        long[] received = {0};
        exchange.getRequestReceiver().receivePartialBytes((ex, data, last) -> {
            received[0] += data.length;
            if (last) {
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Endpoints.TEXT_PLAIN);
                ex.getResponseSender().send(ByteBuffer.wrap(Endpoints.uploadAnswer(received[0])));
            }
        });
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
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

    /** Sends every message back and frees the pooled message buffers once the echo is written. */
    private static final class Echo extends AbstractReceiveListener {
        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            WebSockets.sendText(message.getData(), channel, null);
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            WebSockets.sendBinary(data.getResource(), channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    data.free();
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable error) {
                    data.free();
                }
            });
        }
    }
}
