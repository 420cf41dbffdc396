package dev.ladle.server.internal;

import dev.ladle.auth.AuthDomain;
import dev.ladle.codec.BodyCodecs;
import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.http.Tokens;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.StolenConnection;
import dev.ladle.server.Subscription;
import dev.ladle.tls.TlsCertificateFlag;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The engine's {@link ServerMessage}: one request as parsed from the connection and the response being
 * built for it. Request fields are filled in by {@link RequestHeadParser} and {@link RequestPipeline}
 * on the connection's thread; strings and header objects are made only when a handler asks for them.
 */
public final class Exchange implements ServerMessage {
    /** The protocol this exchange is read and answered through. */
    final MessageIo io;

    // ---- the request, as parsed ----
    String method;
    String target;
    HttpVersion version;
    /** The header section as received (fields separated by CRLF), parsed into headers on demand. */
    byte[] headBytes;
    int hostStart = -1;
    int hostEnd;
    /** The {@code :protocol} of an HTTP/2 extended CONNECT (RFC 8441), or null. */
    String connectProtocol;
    /** The authority of an HTTP/2 request ({@code :authority} or Host), or null. */
    String authority;
    long declaredLength = -1;
    String transferEncoding;
    boolean connectionClose;
    boolean connectionKeepAlive;
    String expect;
    /** The request has a Range header (so range handling need not parse the headers to find out). */
    boolean hasRange;
    /**
     * The HTTP/1 parser saw an {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since} or
     * {@code If-Unmodified-Since} field, so a file answer cannot skip its preconditions. Meaningful only
     * while {@link #requestHeaders} is null: once made (HTTP/2, or a handler asked), they may have been
     * changed and are what counts.
     */
    boolean hasConditions;
    RequestTarget requestTarget;
    /** The request headers: parsed from {@link #headBytes} on demand (HTTP/1), or set when decoded (HTTP/2). */
    MessageHeaders requestHeaders;
    private MessageBody requestBody;
    private URI uri;
    /** What trusted forwarding headers say about the client, once the head was read and someone asked; else null. */
    private ForwardedClient forwarded;

    // ---- the response ----
    private HttpVersion responseVersion;
    private int status;
    private String reasonPhrase;
    private final MessageHeaders responseHeaders = new MessageHeaders();
    private MessageBody responseBody;

    // ---- state ----
    volatile boolean paused;
    volatile boolean stolen;
    private String authUser;
    private AuthDomain authDomain;
    private MessageEvents events;
    /** The body reader while the body is being read, for the request body stream. */
    BodyReader bodyReader;
    boolean bodyStreamTaken;
    ResponseBodyStream responseStream;
    /** A framing error met while a handler read the body through the body stream; answered instead of a 500. */
    HttpException bodyError;
    /** The client left (or the connection failed) while a handler read the body through the body stream. */
    boolean bodyInputFailed;
    /** The body step is over: the request body can no longer be read as a stream. */
    boolean bodyStepDone;
    /** {@code 100 Continue} was sent. */
    boolean continueSent;
    /** The Content-Length of the response being written (declared or computed), or -1. */
    long responseLength = -1;
    /** The status line and headers went out. */
    boolean headersWritten;
    /** The response body is written as the handler produces it (chunked, EOF or a preset length). */
    boolean streamingBody;
    /** The connection closes once this response is written. */
    boolean closeAfterResponse;
    /** The response timeout's timer, once a handler was called while the timeout was on; else null. */
    volatile ResponseTimer responseTimer;
    /** Request body bytes counted against the server's body memory budget, given back when the exchange ends. */
    long bodyBytesReserved;
    /** This request's Flight Recorder event while one is being recorded; null when the event is off. */
    dev.ladle.server.internal.jfr.RequestEvent recording;
    /** The pool blocks the request body was read into, given back when the exchange ends; null for none. */
    java.util.List<PooledBlock> pooledBlocks;
    /** The handler failed after the head went out: the response must end cut short, not completed. */
    boolean responseCut;
    /** This response's own compression setting ({@link #setCompression}), or null for the server's. */
    private dev.ladle.server.Compression compression;
    /** The compressor the response body is written through, once {@link ResponseCompression} chose one; else null. */
    BodyCompressor compressor;

    // ---- routing ----
    /** The registered path of the handler entry that covers the request ({@code /} for the default), or null. */
    String handlerPath;
    /** The normal handler reads the body itself ({@code ServerCallback.streamsRequestBody}): the body step leaves it. */
    boolean bodyLeftToHandler;
    /** The values a router took from the path, or null while none did. */
    private Map<String, String> pathParameters;
    /** The decoded query, made when first asked for. */
    private Map<String, String> queryParameters;

    Exchange(MessageIo io) {
        this.io = io;
    }

    // ---- request ----------------------------------------------------------------------------------

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public URI getUri() {
        if (uri == null) {
            uri = buildUri();
        }
        return uri;
    }

    private URI buildUri() {
        RequestTarget t = requestTarget;
        ForwardedClient client = forwarded();
        String scheme = client.scheme() != null ? client.scheme() : io.isSecure() ? "https" : "http";
        String authority = client.authority() != null ? client.authority() : ownAuthority();
        String path = t == null ? "/" : t.rawPath().equals("*") ? "/*" : t.rawPath();
        StringBuilder sb = new StringBuilder(scheme.length() + authority.length() + path.length() + 8);
        sb.append(scheme).append("://").append(authority);
        appendUriChars(sb, path);
        if (t != null && t.query() != null) {
            sb.append('?');
            appendUriChars(sb, t.query());
        }
        try {
            return new URI(sb.toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("request URI cannot be represented: " + e.getMessage(), e);
        }
    }

    /** Appends {@code s}, percent-encoding the characters {@link URI} refuses (clients send {@code |}, {@code {}} ...). */
    private static void appendUriChars(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}[]".indexOf(c) < 0) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4 & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** The authority the request itself names: its absolute-form target's, else {@link #host()}. */
    private String ownAuthority() {
        RequestTarget t = requestTarget;
        return t != null && t.authority() != null ? t.authority() : host();
    }

    /**
     * Returns what trusted forwarding headers say about the client; {@link ForwardedClient#NONE} before
     * the head was read (the headers are not there yet: nothing is remembered then).
     */
    private ForwardedClient forwarded() {
        ForwardedClient f = forwarded;
        if (f == null) {
            if (requestTarget == null) {
                return ForwardedClient.NONE;
            }
            // nothing to resolve, and nothing allocated, unless the connection's client is a trusted proxy
            dev.ladle.server.TrustedProxies trusted = io.state().trustedProxies();
            f = trusted.trusts(io.remoteAddress())
                    ? ForwardedClient.resolve(trusted, getRequestHeaders(), this::ownAuthority) : ForwardedClient.NONE;
            forwarded = f;
        }
        return f;
    }

    /** Returns the Host header value (HTTP/2: the authority), or the local address for HTTP/1.0 requests without one. */
    String host() {
        if (authority != null) {
            return authority;
        }
        if (hostStart >= 0) {
            return new String(headBytes, hostStart, hostEnd - hostStart, StandardCharsets.ISO_8859_1);
        }
        SocketAddress local = io.localAddress();
        if (local instanceof InetSocketAddress inet) {
            String address = inet.getAddress().getHostAddress();
            if (address.indexOf(':') >= 0) {
                int zone = address.indexOf('%');
                address = "[" + (zone < 0 ? address : address.substring(0, zone)) + "]";
            }
            return address + ":" + inet.getPort();
        }
        return "localhost";
    }

    @Override
    public HttpVersion getHttpVersion() {
        return responseVersion != null ? responseVersion : version;
    }

    @Override
    public void setHttpVersion(HttpVersion version) {
        this.responseVersion = java.util.Objects.requireNonNull(version, "version");
    }

    /** Returns the version the client sent. */
    HttpVersion requestVersion() {
        return version;
    }

    @Override
    public MessageHeaders getRequestHeaders() {
        if (requestHeaders == null) {
            requestHeaders = parseHeaders();
        }
        return requestHeaders;
    }

    private MessageHeaders parseHeaders() {
        MessageHeaders headers = new MessageHeaders();
        byte[] b = headBytes;
        if (b == null) {
            return headers;
        }
        int pos = 0;
        while (pos < b.length) {
            int colon = pos;
            while (b[colon] != ':') {
                colon++;
            }
            int lineEnd = colon;
            while (b[lineEnd] != '\r') {
                lineEnd++;
            }
            int vs = colon + 1;
            while (vs < lineEnd && (b[vs] == ' ' || b[vs] == '\t')) {
                vs++;
            }
            int ve = lineEnd;
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            headers.append(new String(b, pos, colon - pos, StandardCharsets.ISO_8859_1),
                    new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
            pos = lineEnd + 2;
        }
        return headers;
    }

    @Override
    public MessageBody getRequestBody() {
        if (requestBody == null) {
            requestBody = new MessageBody();
            BodyAccess.get().setOwner(requestBody, this);
            if (bodyStepDone) {
                // first asked for after the body step (a body of no bytes, or one nobody kept):
                // it is complete, which is how Forms.decodeMultipart tells a normal handler from an early one
                requestBody.complete();
            }
        }
        return requestBody;
    }

    @Override
    public <T> T getRequestBodyAs(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        if (!bodyStepDone || bodyStreamTaken) {
            throw new IllegalStateException("the request body is read by the time normal handlers run, not before,"
                    + " and not when a handler took it as a stream");
        }
        MessageBody body = getRequestBody();
        if (!body.getAccumulate()) {
            throw new IllegalStateException("the request body was not accumulated (accumulate is off)");
        }
        return io.state().bodyCodecs.read(getRequestHeaders().getOne("Content-Type"), body.flatten(), type);
    }

    /** Returns the request body if anybody asked for it, else null (nothing to accumulate into yet). */
    MessageBody requestBodyIfCreated() {
        return requestBody;
    }

    // ---- response ---------------------------------------------------------------------------------

    @Override
    public MessageHeaders getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public MessageBody getResponseBody() {
        if (responseBody == null) {
            responseBody = new MessageBody();
            BodyAccess.get().setOwner(responseBody, this);
        }
        return responseBody;
    }

    MessageBody responseBodyIfCreated() {
        return responseBody;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getReasonPhrase() {
        return reasonPhrase;
    }

    @Override
    public void setStatus(int status) {
        checkStatus(status);
        this.status = status;
        this.reasonPhrase = null;
    }

    @Override
    public void setStatus(int status, String reasonPhrase) {
        checkStatus(status);
        if (reasonPhrase != null) {
            for (int i = 0; i < reasonPhrase.length(); i++) {
                if (!Tokens.isFieldValueChar(reasonPhrase.charAt(i))) {
                    throw new IllegalArgumentException("reason phrase has a control character at index " + i);
                }
            }
        }
        this.status = status;
        this.reasonPhrase = reasonPhrase;
    }

    private static void checkStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a 3-digit code: " + status);
        }
    }

    /** Replaces the response body with {@code body} (owned), for responses the server makes itself. */
    void setResponseBodyInternal(byte[] body) {
        MessageBody b = getResponseBody();
        b.truncate();
        b.appendOwned(body);
    }

    /**
     * Appends the fields the server puts on every response: Date, Server (when set) and, over TLS,
     * Strict-Transport-Security (when set).
     */
    void appendServerFields() {
        responseHeaders.append("Date", dev.ladle.http.HttpDates.now());
        String server = io.state().serverHeader();
        if (server != null) {
            responseHeaders.append("Server", server);
        }
        String strictTransportSecurity = io.state().strictTransportSecurity();
        if (strictTransportSecurity != null && isSecure()) {
            responseHeaders.append("Strict-Transport-Security", strictTransportSecurity);
        }
    }

    /** Replaces the response with a short plain-text error the server makes itself (its headers cleared). */
    void setErrorResponse(int status, String reason) {
        responseHeaders.clear();
        if (compressor != null) {
            // the server's own short error is sent as it is
            compressor.end();
            compressor = null;
        }
        appendServerFields();
        setStatusInternal(status);
        responseHeaders.append("Content-Type", "text/plain; charset=utf-8");
        if (status == Status.SERVICE_UNAVAILABLE) {
            // the server's own 503s mean "a resource cap acted": say when to come back
            responseHeaders.append("Retry-After", UnavailableAnswer.retryAfter(io.state()));
        }
        setResponseBodyInternal((Status.phrase(status) + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The pipeline is about to write the final response head: false when the response timeout answered already. */
    boolean claimHead() {
        ResponseTimer timer = responseTimer;
        return timer == null || timer.claimForPipeline();
    }

    /** Returns true once the response timeout answered this exchange. */
    boolean timedOut() {
        ResponseTimer timer = responseTimer;
        return timer != null && timer.timedOut();
    }

    /** Clears the status so that later pipeline steps see none (never used by handlers). */
    void setStatusInternal(int status) {
        this.status = status;
        this.reasonPhrase = null;
    }

    @Override
    public void setResponse(String contentType, byte[] body) {
        MessageBody b = getResponseBody();
        b.truncate();
        if (contentType == null) {
            if (body != null && body.length > 0) {
                throw new IllegalArgumentException("a response body needs a content type");
            }
            responseHeaders.remove("Content-Type");
            return;
        }
        responseHeaders.replace("Content-Type", contentType);
        if (body != null && body.length > 0) {
            b.appendOwned(body);
        }
    }

    @Override
    public void setResponseValue(Object value) {
        BodyCodecs.Encoded encoded = io.state().bodyCodecs.write(value, getRequestHeaders().getList("Accept"));
        setResponse(encoded.contentType().toString(), encoded.body());
        if (status == 0) {
            setStatus(Status.OK);
        }
    }

    @Override
    public void setResponseValue(int status, Object value) {
        checkStatus(status);
        BodyCodecs.Encoded encoded = io.state().bodyCodecs.write(value, getRequestHeaders().getList("Accept"));
        setStatus(status);
        setResponse(encoded.contentType().toString(), encoded.body());
    }

    @Override
    public void setRedirect(int status, String location) {
        URI resolved;
        try {
            resolved = getUri().resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid redirect location: " + e.getMessage(), e);
        }
        setStatus(status);
        responseHeaders.replace("Location", resolved.toString());
    }

    // ---- path and query parameters ---------------------------------------------------------------

    @Override
    public String getPathParameter(String name) {
        Map<String, String> values = pathParameters;
        return values == null ? null : values.get(name);
    }

    @Override
    public Map<String, String> getPathParameters() {
        Map<String, String> values = pathParameters;
        return values == null ? Map.of() : values;
    }

    /** Sets the values a router took from the path (an unmodifiable map). */
    void setPathParameters(Map<String, String> values) {
        pathParameters = values;
    }

    @Override
    public String getQueryParameter(String name) {
        return getQueryParameters().get(name);
    }

    @Override
    public Map<String, String> getQueryParameters() {
        Map<String, String> values = queryParameters;
        if (values == null) {
            String query = requestTarget == null ? null : requestTarget.query();
            if (query == null || query.isEmpty()) {
                values = Map.of();
            } else {
                try {
                    values = java.util.Collections.unmodifiableMap(dev.ladle.http.Forms.decode(query));
                } catch (IllegalArgumentException e) {
                    // handlers never see this (the server answers 400 first); a listener may
                    values = Map.of();
                }
            }
            queryParameters = values;
        }
        return values;
    }

    @Override
    public void setResponseFile(java.nio.file.Path file) {
        FileResponder.respond(this, file, null);
    }

    @Override
    public void setResponseFile(java.nio.file.Path file, String contentType) {
        FileResponder.respond(this, file, contentType);
    }

    @Override
    public void setCompression(dev.ladle.server.Compression compression) {
        if (headersWritten) {
            throw new IllegalStateException("the response head was written: too late to change its compression");
        }
        this.compression = compression;
    }

    @Override
    public dev.ladle.server.Compression getCompression() {
        dev.ladle.server.Compression own = compression;
        return own != null ? own : io.state().compression();
    }

    // ---- connection facts -------------------------------------------------------------------------

    @Override
    public SocketAddress getRemoteAddress() {
        InetSocketAddress client = forwarded().address();
        return client != null ? client : io.remoteAddress();
    }

    @Override
    public SocketAddress getPeerAddress() {
        return io.peerAddress();
    }

    @Override
    public dev.ladle.server.ProxyHeader getProxyHeader() {
        return io.proxyHeader();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return io.localAddress();
    }

    @Override
    public String getRemoteHost() {
        return getRemoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    @Override
    public boolean isSecure() {
        String scheme = forwarded().scheme();
        return scheme != null ? scheme.equals("https") : io.isSecure();
    }

    @Override
    public boolean isOptionsPing() {
        return requestTarget != null && requestTarget.rawPath().equals("*");
    }

    @Override
    public List<X509Certificate> getTlsPeerCertificates() {
        return io.peerCertificates();
    }

    @Override
    public Set<TlsCertificateFlag> getTlsPeerCertificateErrors() {
        return io.peerCertificateErrors();
    }

    @Override
    public dev.ladle.tls.TlsRevocationStatus getTlsPeerCertificateRevocation() {
        return io.peerCertificateRevocation();
    }

    @Override
    public String getTlsServerName() {
        return io.tlsServerName();
    }

    @Override
    public String getAuthUser() {
        return authUser;
    }

    @Override
    public AuthDomain getAuthDomain() {
        return authDomain;
    }

    void setAuth(String user, AuthDomain domain) {
        this.authUser = user;
        this.authDomain = domain;
    }

    // ---- pausing and streams ----------------------------------------------------------------------

    @Override
    public void pause() {
        io.pause(this);
    }

    @Override
    public void unpause() {
        io.unpause(this);
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public InputStream getRequestBodyStream() {
        // a streaming route's handler may ask for the stream of a body that had no bytes: the body step is over, and the stream is empty
        if (bodyReader == null || bodyStreamTaken || bodyStepDone && !(bodyLeftToHandler && bodyReader.isDone())) {
            throw new IllegalStateException("the request body stream is only available before the body is read:"
                    + " from an early handler, or from a handler that streams its body (a streaming route)");
        }
        bodyStreamTaken = true;
        return new RequestBodyStream(this);
    }

    @Override
    public OutputStream getResponseBodyStream() {
        if (responseStream == null) {
            responseStream = new ResponseBodyStream(this);
        }
        return responseStream;
    }

    @Override
    public StolenConnection stealConnection() {
        return io.steal(this);
    }

    // ---- events -----------------------------------------------------------------------------------

    private MessageEvents events() {
        MessageEvents e = events;
        if (e == null) {
            e = new MessageEvents();
            events = e;
        }
        return e;
    }

    /** Returns the listeners, or null when nobody subscribed. */
    MessageEvents eventsIfAny() {
        return events;
    }

    @Override
    public Subscription onGotHeaders(Runnable listener) {
        return MessageEvents.add(events().gotHeaders, listener);
    }

    @Override
    public Subscription onGotChunk(Consumer<ByteBuffer> listener) {
        return MessageEvents.add(events().gotChunk, listener);
    }

    @Override
    public Subscription onGotBody(Runnable listener) {
        return MessageEvents.add(events().gotBody, listener);
    }

    @Override
    public Subscription onWroteInformational(Runnable listener) {
        return MessageEvents.add(events().wroteInformational, listener);
    }

    @Override
    public Subscription onWroteHeaders(Runnable listener) {
        return MessageEvents.add(events().wroteHeaders, listener);
    }

    @Override
    public Subscription onWroteChunk(Runnable listener) {
        return MessageEvents.add(events().wroteChunk, listener);
    }

    @Override
    public Subscription onWroteBodyData(IntConsumer listener) {
        return MessageEvents.add(events().wroteBodyData, listener);
    }

    @Override
    public Subscription onWroteBody(Runnable listener) {
        return MessageEvents.add(events().wroteBody, listener);
    }

    @Override
    public Subscription onFinished(Runnable listener) {
        return MessageEvents.add(events().finished, listener);
    }

    @Override
    public Subscription onDisconnected(Runnable listener) {
        return MessageEvents.add(events().disconnected, listener);
    }

    @Override
    public Subscription onAcceptCertificate(BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> listener) {
        return MessageEvents.add(events().acceptCertificate, listener);
    }

    @Override
    public String toString() {
        return method + " " + target + " -> " + status;
    }
}
