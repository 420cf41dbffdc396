package dev.ladle.bench.peers;

import dev.ladle.bench.Endpoints;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/2 stream of {@link NettyPeer}, on the child channel Netty's multiplexer gives each stream:
 * routes on the request's HEADERS frame, collects or counts its DATA frames, and answers with a
 * HEADERS and a DATA frame when the request's stream ends. The same endpoints and headers as the
 * HTTP/1 handler; the multiplexer hands the consumed DATA back to flow control, and writes are flushed
 * once per read burst of the stream.
 */
final class NettyHttp2Stream extends ChannelInboundHandlerAdapter {
    private static final AsciiString PLAINTEXT = AsciiString.cached(Endpoints.PLAINTEXT);
    private static final AsciiString BYTES_16K = AsciiString.cached(Endpoints.BYTES_16K);
    private static final AsciiString ECHO = AsciiString.cached(Endpoints.ECHO);
    private static final AsciiString UPLOAD = AsciiString.cached(Endpoints.UPLOAD);

    private enum Route { PLAINTEXT, BYTES_16K, ECHO, UPLOAD, NOT_FOUND }

    private Route route = Route.NOT_FOUND;
    private CompositeByteBuf echoed;
    private long uploaded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame headers) {
                route = route(headers.headers());
                if (route == Route.ECHO) {
                    echoed = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                }
                if (headers.isEndStream()) {
                    respond(ctx);
                }
            } else if (msg instanceof Http2DataFrame data) {
                ByteBuf content = data.content();
                if (route == Route.ECHO && content.isReadable()) {
                    echoed.addComponent(true, content.retain());
                } else if (route == Route.UPLOAD) {
                    uploaded += content.readableBytes();
                }
                if (data.isEndStream()) {
                    respond(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static Route route(Http2Headers headers) {
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        boolean get = HttpMethod.GET.asciiName().contentEquals(method);
        boolean post = HttpMethod.POST.asciiName().contentEquals(method);
        if (get && PLAINTEXT.contentEquals(path)) {
            return Route.PLAINTEXT;
        } else if (get && BYTES_16K.contentEquals(path)) {
            return Route.BYTES_16K;
        } else if (post && ECHO.contentEquals(path)) {
            return Route.ECHO;
        } else if (post && UPLOAD.contentEquals(path)) {
            return Route.UPLOAD;
        }
        return Route.NOT_FOUND;
    }

    private void respond(ChannelHandlerContext ctx) {
        ByteBuf body = switch (route) {
            case PLAINTEXT -> NettyPeer.HELLO.duplicate();
            case BYTES_16K -> NettyPeer.BYTES_16K.duplicate();
            case ECHO -> echoed;
            case UPLOAD -> Unpooled.wrappedBuffer(Endpoints.uploadAnswer(uploaded));
            case NOT_FOUND -> null;
        };
        echoed = null;
        Http2Headers headers = new DefaultHttp2Headers()
                .status(route == Route.NOT_FOUND ? HttpResponseStatus.NOT_FOUND.codeAsText() : HttpResponseStatus.OK.codeAsText())
                .set(HttpHeaderNames.SERVER, NettyPeer.SERVER)
                .set(HttpHeaderNames.DATE, CachedDate.now());
        if (body == null) {
            ctx.write(new DefaultHttp2HeadersFrame(headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0), true));
            return;
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, route == Route.PLAINTEXT || route == Route.UPLOAD
                ? NettyPeer.TEXT_PLAIN : NettyPeer.OCTET_STREAM);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        ctx.write(new DefaultHttp2HeadersFrame(headers, false));
        ctx.write(new DefaultHttp2DataFrame(body, true));
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
