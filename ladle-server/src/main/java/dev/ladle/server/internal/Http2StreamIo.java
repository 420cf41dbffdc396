package dev.ladle.server.internal;

import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.Limits;
import dev.ladle.server.StolenConnection;
import dev.ladle.server.internal.http2.ErrorCode;
import dev.ladle.server.internal.http2.Http2Request;
import dev.ladle.server.internal.http2.Http2Stream;
import dev.ladle.tls.TlsCertificateFlag;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The {@link MessageIo} of one HTTP/2 stream (libsoup's {@code SoupServerMessageIOHTTP2}): the request
 * comes decoded from the stream's HEADERS, its body from DATA frames, and the response goes out as
 * HEADERS and DATA through the stream, with flow control and back-pressure done by the stream. Each
 * stream runs the same {@link RequestPipeline} as an HTTP/1 request, on its own virtual thread.
 */
final class Http2StreamIo implements MessageIo {
    private final HttpConnection connection;
    private final Http2Stream stream;
    private final RequestPipeline pipeline;
    /** A paused message's wait: what was written goes out first; a reset stream ends it. */
    private final PauseGate pausing = new PauseGate(ex -> flush(), "stream reset while the message was paused");
    private volatile boolean failed;
    /** END_STREAM went out. */
    private boolean ended;
    /** The stream stays open after the head: an accepted extended CONNECT (RFC 8441) carries a WebSocket. */
    private boolean tunnel;

    Http2StreamIo(HttpConnection connection, Http2Stream stream) {
        this.connection = connection;
        this.stream = stream;
        this.pipeline = new RequestPipeline(this);
        stream.onReset(pausing::markClosed);
    }

    /** Runs the stream's request through the pipeline, then fires Disconnected: the stream is the message's connection. */
    void serve() throws IOException {
        Exchange ex = new Exchange(this);
        try {
            pipeline.process(ex, false);
        } finally {
            MessageEvents events = ex.eventsIfAny();
            if (events != null) {
                MessageEvents.run(events.disconnected);
            }
        }
    }

    @Override
    public ServerState state() {
        return connection.state;
    }

    // ---- the request -------------------------------------------------------------------------------

    @Override
    public void readHead(Exchange ex, Limits limits) throws HttpException {
        Http2Request request = stream.request();
        ex.method = request.method();
        ex.connectProtocol = request.protocol();
        boolean plainConnect = "CONNECT".equals(request.method()) && request.protocol() == null;
        ex.target = plainConnect ? request.authority() : request.path();
        ex.version = HttpVersion.HTTP_2;
        MessageHeaders headers = new MessageHeaders();
        List<String> fields = request.fields();
        for (int i = 0; i < fields.size(); i += 2) {
            headers.append(fields.get(i), fields.get(i + 1));
        }
        ex.requestHeaders = headers;
        String host = headers.getOne("Host");
        String authority = request.authority();
        if (authority == null) {
            authority = host;
        } else if (host != null && !host.equalsIgnoreCase(authority)) {
            // RFC 9113 section 8.3.1: Host and :authority must name the same thing
            throw new HttpException(Status.BAD_REQUEST, "Host differs from :authority");
        }
        if (authority == null || !connection.isValidAuthority(authority)) {
            throw new HttpException(Status.BAD_REQUEST, authority == null ? "missing :authority" : "invalid :authority");
        }
        ex.authority = authority;
        ex.declaredLength = request.contentLength();
        ex.expect = headers.getList("Expect");
        ex.hasRange = headers.contains("Range");
        if (host == null) {
            // handlers written for HTTP/1 read Host; HTTP/2 carries it as :authority (RFC 9113 section 8.3.1)
            headers.append("Host", authority);
        }
        // counted as on HTTP/1, where the authority is the Host field
        if (headers.size() > limits.getMaxHeaderCount()) {
            throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
        }
        // a CONNECT's DATA is the tunnel (or the WebSocket, RFC 8441), not a request body to read first
        boolean connect = "CONNECT".equals(request.method());
        ex.bodyReader = request.endStream() || connect ? BodyReader.EMPTY : new Http2BodyReader(stream);
    }

    @Override
    public void setBodyReadTimeout(int millis) {
        stream.setReadTimeout(millis);
    }

    @Override
    public boolean unreadBodyBlocksNextRequest() {
        return false;
    }

    @Override
    public boolean mayKeepAlive() {
        return true;
    }

    @Override
    public boolean hasBufferedRequest() {
        return false;
    }

    @Override
    public int readBody(Exchange ex, byte[] b, int off, int len) throws IOException, HttpException {
        return pipeline.readBodyForStream(ex, b, off, len);
    }

    // ---- the response ------------------------------------------------------------------------------

    @Override
    public ResponseWriter.Framing writeHead(Exchange ex, boolean keepAlive) throws IOException {
        int status = ex.getStatus();
        MessageHeaders headers = ex.getResponseHeaders();
        boolean head = "HEAD".equals(ex.method);
        boolean connect = "CONNECT".equals(ex.method) && Status.isSuccessful(status);
        ResponseWriter.Framing framing;
        long computedLength = -1;
        switch (BodyFraming.of(ex, connect)) {
            case NONE -> framing = ResponseWriter.Framing.NONE;
            case STREAMED -> {
                // DATA frames delimit the body: no length, no chunking
                headers.remove("Content-Length");
                framing = ResponseWriter.Framing.CHUNKED;
            }
            case DECLARED -> framing = ResponseWriter.Framing.LENGTH;
            default -> {
                computedLength = ex.responseLength;
                framing = ResponseWriter.Framing.LENGTH;
            }
        }
        tunnel = connect && ex.connectProtocol != null;
        ResponseWriter.Framing result = head || framing == ResponseWriter.Framing.NONE
                || framing == ResponseWriter.Framing.LENGTH && ex.responseLength == 0
                ? ResponseWriter.Framing.NONE : framing;
        boolean endStream = result == ResponseWriter.Framing.NONE && !tunnel && !Status.isInformational(status);
        ex.closeAfterResponse = false;
        try {
            stream.writeHeaders(status, headers, computedLength, endStream);
        } catch (IOException e) {
            throw failed(e);
        }
        ended = endStream;
        ex.headersWritten = !Status.isInformational(status);
        if (ex.streamingBody) {
            ex.getResponseBody();
        }
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            if (Status.isInformational(status)) {
                flush();
                MessageEvents.run(events.wroteInformational);
            } else if (!events.wroteHeaders.isEmpty()) {
                flush();
                MessageEvents.run(events.wroteHeaders);
            }
        }
        return result;
    }

    @Override
    public void writeContinue(Exchange ex) throws IOException {
        // under the lock: the response timeout may be writing its 503 from another thread
        pausing.lock.lock();
        try {
            if (ex.timedOut()) {
                return;
            }
            stream.writeHeaders(Status.CONTINUE, new MessageHeaders(), -1, false);
            stream.flush();
        } catch (IOException e) {
            throw failed(e);
        } finally {
            pausing.lock.unlock();
        }
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.wroteInformational);
        }
    }

    @Override
    public void writeBodyPiece(ResponseWriter.Framing framing, ByteBuffer data, boolean last, boolean flush) throws IOException {
        boolean end = last && framing == ResponseWriter.Framing.LENGTH;
        int n = data.remaining();
        try {
            stream.writeData(data, end);
            state().counters.responseBodyBytesWritten.add(n);
            if (flush && !end) {
                stream.flush();
            }
        } catch (IOException e) {
            throw failed(e);
        }
        ended |= end;
    }

    @Override
    public void writeEnd(ResponseWriter.Framing framing) throws IOException {
        if (!ended && !tunnel) {
            ended = true;
            try {
                stream.endStream();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    @Override
    public void writeError(Exchange ex, int status, String reason, boolean close) throws IOException {
        ex.setErrorResponse(status, reason);
        ResponseWriter.Framing framing = writeHead(ex, true);
        BodySender.send(ex, this, framing);
    }

    @Override
    public void flush() throws IOException {
        try {
            stream.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean outputFailed() {
        return failed || stream.isReset();
    }

    @Override
    public void answerTimeout(Exchange ex) {
        byte[] body = UnavailableAnswer.body("no response in time");
        try {
            pausing.lock.lock();
            try {
                stream.writeHeaders(Status.SERVICE_UNAVAILABLE, UnavailableAnswer.headers(state(), isSecure()), body.length, false);
            } finally {
                pausing.lock.unlock();
            }
            stream.writeData(body, 0, body.length, true);
            stream.flush();
        } catch (IOException e) {
            failed = true;
        }
        if (!stream.isRequestBodyDone()) {
            // the rest of the request is no use to anyone: free the stream's slot now (RFC 9113 section 8.1)
            stream.reset(ErrorCode.NO_ERROR);
        }
        pausing.markClosed();
    }

    @Override
    public ResponseWriter.Framing commitStreamingHead(Exchange ex) throws IOException {
        pausing.lock.lock();
        try {
            return pipeline.commitStreamingHead(ex);
        } finally {
            pausing.lock.unlock();
        }
    }

    @Override
    public void startWebSocket(Exchange ex, WebSocketUpgrade upgrade) {
        // frames may be far apart: no body read timeout on the stream that carries them
        stream.setReadTimeout(0);
        connection.runWebSocket(upgrade, () -> upgrade.run(state(), ex, ex.requestTarget.path(),
                new Http2StreamInput(stream), new Http2StreamOutput(stream), this::closeTunnel));
    }

    /** Ends the WebSocket's stream: END_STREAM when it can still go out, else a reset. */
    private void closeTunnel() {
        try {
            stream.endStream();
        } catch (IOException e) {
            stream.reset(ErrorCode.CANCEL);
        }
    }

    @Override
    public StolenConnection steal(Exchange ex) {
        throw new IllegalStateException("an HTTP/2 stream's connection is shared by other requests and cannot be stolen");
    }

    /** Remembers a failed write, so that the pipeline knows the client left; returns {@code e} to throw. */
    private IOException failed(IOException e) {
        failed = true;
        return e;
    }

    // ---- pausing -----------------------------------------------------------------------------------

    @Override
    public void pause(Exchange ex) {
        pausing.pause(ex);
    }

    @Override
    public void unpause(Exchange ex) {
        pausing.unpause(ex);
    }

    @Override
    public void awaitUnpaused(Exchange ex) throws IOException {
        pausing.awaitUnpaused(ex);
    }

    @Override
    public ByteBuffer awaitChunk(Exchange ex, MessageBody body, long offset) throws IOException {
        return pausing.awaitChunk(ex, body, offset);
    }

    // ---- connection facts --------------------------------------------------------------------------

    @Override
    public boolean isSecure() {
        return connection.isSecure();
    }

    @Override
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public SocketAddress peerAddress() {
        return connection.peerAddress();
    }

    @Override
    public dev.ladle.server.ProxyHeader proxyHeader() {
        return connection.proxyHeader();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return connection.peerCertificates();
    }

    @Override
    public Set<TlsCertificateFlag> peerCertificateErrors() {
        return connection.peerCertificateErrors();
    }

    @Override
    public dev.ladle.tls.TlsRevocationStatus peerCertificateRevocation() {
        return connection.peerCertificateRevocation();
    }

    @Override
    public String tlsServerName() {
        return connection.tlsServerName();
    }
}
