package dev.ladle.bench.peers;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.ServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Netty 4.2 on its own API: epoll when the native transport loads (NIO otherwise), the HTTP/1 codec,
 * no aggregator (bodies are collected or counted here as they arrive), writes flushed once per read
 * burst so pipelined requests share a flush, and a WebSocket echo at {@code /ws}.
 *
 * <p>HTTP/2 shares the port: Netty's frame codec and stream multiplexer, each stream answered by
 * {@link NettyHttp2Stream}. On the plain port a connection that starts with the HTTP/2 preface gets
 * them (h2c with prior knowledge; {@link PrefaceSniffer}), on the TLS port ALPN chooses.
 */
public final class NettyPeer implements BenchServer {
    static final AsciiString TEXT_PLAIN = AsciiString.cached(Endpoints.TEXT_PLAIN);
    static final AsciiString OCTET_STREAM = AsciiString.cached(Endpoints.OCTET_STREAM);
    static final AsciiString SERVER = AsciiString.cached("netty");
    static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Endpoints.hello().length).writeBytes(Endpoints.hello())).asReadOnly();
    static final ByteBuf BYTES_16K = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Endpoints.bytes16k().length).writeBytes(Endpoints.bytes16k())).asReadOnly();

    private final EventLoopGroup group;
    private final Channel channel;

    /** Starts the server as {@code options} say. */
    public NettyPeer(ServerOptions options) throws Exception {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        SslContext ssl = options.tls() ? new JdkSslContext(options.sslContext(), false, null,
                IdentityCipherSuiteFilter.INSTANCE,
                new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1),
                ClientAuth.NONE, null, false) : null;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new AlpnSwitch());
                        } else {
                            ch.pipeline().addLast(new PrefaceSniffer());
                        }
                    }
                });
        channel = bootstrap.bind(new InetSocketAddress(Endpoints.HOST, options.port())).sync().channel();
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
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
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    /** The HTTP/1.1 handlers, with WebSocket. */
    private static void addHttp1(ChannelPipeline pipeline) {
        pipeline.addLast(new HttpServerCodec(),
                new HttpServerExpectContinueHandler(),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(Endpoints.WEBSOCKET)
                        .maxFramePayloadLength(1 << 20)
                        .build()),
                new WebSocketEcho(),
                new HttpHandler());
    }

    /** The HTTP/2 handlers: the frame codec, and a child channel per stream with its own handler. */
    private static void addHttp2(ChannelPipeline pipeline) {
        pipeline.addLast(Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new NettyHttp2Stream());
                    }
                }));
    }

    /** On the TLS port: HTTP/2 or HTTP/1.1, as ALPN chose (HTTP/1.1 when the client named neither). */
    private static final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
        AlpnSwitch() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
            } else {
                addHttp1(ctx.pipeline());
            }
        }
    }

    /**
     * On the plain port: HTTP/2 when the connection starts with the client preface, HTTP/1.1 as soon as a
     * byte differs from it (the first or second byte of any HTTP/1 request). Netty's
     * {@code CleartextHttp2ServerUpgradeHandler} does the same but leaves its upgrade handler in every
     * HTTP/1 pipeline; this one removes itself, so the HTTP/1 rows measure the same pipeline as before.
     */
    private static final class PrefaceSniffer extends ByteToMessageDecoder {
        private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int seen = Math.min(in.readableBytes(), PREFACE.length);
            boolean http2 = true;
            for (int i = 0; i < seen && http2; i++) {
                http2 = in.getByte(in.readerIndex() + i) == PREFACE[i];
            }
            if (http2 && seen < PREFACE.length) {
                return; // a prefix of the preface so far: wait for more
            }
            if (http2) {
                addHttp2(ctx.pipeline());
            } else {
                addHttp1(ctx.pipeline());
            }
            // hands the bytes read so far to the handlers just added
            ctx.pipeline().remove(this);
        }
    }

    /**
     * Echoes data frames back as they are; the protocol handler in front answers pings and closes, and
     * the HTTP handler behind flushes at the end of each read burst.
     */
    private static final class WebSocketEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame) {
                ctx.write(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }

    /** Routes a request when its head arrives and answers when its last content arrives. */
    private static final class HttpHandler extends ChannelInboundHandlerAdapter {
        private enum Route { PLAINTEXT, BYTES_16K, ECHO, UPLOAD, NOT_FOUND }

        private Route route = Route.NOT_FOUND;
        private boolean keepAlive;
        private CompositeByteBuf echoed;
        private long uploaded;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    keepAlive = HttpUtil.isKeepAlive(request);
                    route = route(request);
                    uploaded = 0;
                    if (route == Route.ECHO) {
                        echoed = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                    }
                }
                if (msg instanceof HttpContent content) {
                    ByteBuf data = content.content();
                    if (route == Route.ECHO && data.isReadable()) {
                        echoed.addComponent(true, data.retain());
                    } else if (route == Route.UPLOAD) {
                        uploaded += data.readableBytes();
                    }
                    if (content instanceof LastHttpContent) {
                        respond(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static Route route(HttpRequest request) {
            String uri = request.uri();
            if (request.method() == HttpMethod.GET && uri.equals(Endpoints.PLAINTEXT)) {
                return Route.PLAINTEXT;
            } else if (request.method() == HttpMethod.GET && uri.equals(Endpoints.BYTES_16K)) {
                return Route.BYTES_16K;
            } else if (request.method() == HttpMethod.POST && uri.equals(Endpoints.ECHO)) {
                return Route.ECHO;
            } else if (request.method() == HttpMethod.POST && uri.equals(Endpoints.UPLOAD)) {
                return Route.UPLOAD;
            }
            return Route.NOT_FOUND;
        }

        private void respond(ChannelHandlerContext ctx) {
            FullHttpResponse response = switch (route) {
                case PLAINTEXT -> answer(HttpResponseStatus.OK, TEXT_PLAIN, HELLO.duplicate());
                case BYTES_16K -> answer(HttpResponseStatus.OK, OCTET_STREAM, BYTES_16K.duplicate());
                case ECHO -> answer(HttpResponseStatus.OK, OCTET_STREAM, echoed);
                case UPLOAD -> answer(HttpResponseStatus.OK, TEXT_PLAIN,
                        Unpooled.wrappedBuffer(Endpoints.uploadAnswer(uploaded)));
                case NOT_FOUND -> answer(HttpResponseStatus.NOT_FOUND, TEXT_PLAIN, Unpooled.EMPTY_BUFFER);
            };
            echoed = null;
            if (keepAlive) {
                ctx.write(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse answer(HttpResponseStatus status, AsciiString type, ByteBuf body) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, body, false);
            HttpHeaders h = response.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            h.set(HttpHeaderNames.SERVER, SERVER);
            h.set(HttpHeaderNames.DATE, CachedDate.now());
            return response;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (echoed != null) {
                echoed.release();
                echoed = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
