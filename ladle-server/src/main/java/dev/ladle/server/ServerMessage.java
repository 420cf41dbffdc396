package dev.ladle.server;

import dev.ladle.auth.AuthDomain;
import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.tls.TlsCertificateFlag;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One HTTP request received by a {@link Server} and the response being built for it (libsoup's
 * {@code SoupServerMessage}).
 *
 * <p>Handlers run on the connection's virtual thread and may use any method. Other threads may call
 * {@link #pause()}, {@link #unpause()}, {@link #isPaused()} and append to the response body; everything
 * else belongs to the handling thread until the message is unpaused. Event listeners run on the
 * connection's thread, in the order the events happen:
 * {@code GotHeaders → GotChunk* → GotBody → WroteInformational? → WroteHeaders → (WroteChunk |
 * WroteBodyData)* → WroteBody → Finished}, and {@code Disconnected} when the connection closes.
 */
public interface ServerMessage {

    /** Returns the request method, for example {@code GET}. */
    String getMethod();

    /**
     * Returns the absolute request URI: the connection's scheme, the {@code Host} header (or the
     * absolute-form target, or the local address for HTTP/1.0 without Host), and the path and query as
     * sent. For {@code OPTIONS *} the path is {@code *}. Trusted proxies' forwarding headers
     * ({@link Server#setTrustedProxies}) replace the scheme and the authority with the client's.
     */
    URI getUri();

    /**
     * Returns the HTTP version of the request, and of the response unless changed: {@link HttpVersion#HTTP_2}
     * for a request on an HTTP/2 stream (whose response is always HTTP/2).
     */
    HttpVersion getHttpVersion();

    /** Sets the version of the response status line (only downgrading to HTTP/1.0 makes sense). */
    void setHttpVersion(HttpVersion version);

    /** Returns the request headers. */
    MessageHeaders getRequestHeaders();

    /**
     * Returns the request body: accumulated by the time normal handlers run, unless accumulation was
     * turned off. A large body that arrived on a plain HTTP/1.1 connection is held in the server's own
     * buffers until the exchange ends; read it, or share it with the response
     * ({@link MessageBody#appendShared}), before then (see {@link MessageBody}).
     */
    MessageBody getRequestBody();

    /**
     * Returns the request body read as a {@code type} by the server's body codecs
     * ({@link Server#addBodyCodec}): the first codec that reads the request's {@code Content-Type} as a
     * {@code type} decodes the accumulated body. Built in: {@code String} from text (charset from the
     * Content-Type, else UTF-8), {@code byte[]} from anything, {@link dev.ladle.codec.Form} or a
     * {@code Map<String, String>} from forms; JSON with the {@code ladle-jackson} module.
     *
     * <p>What the client did wrong leaves the handler as a {@link dev.ladle.http.StatusException}, which
     * the server answers with its status and reason (let it propagate, or catch it to answer otherwise):
     * 415 Unsupported Media Type naming the content type when the request has none (and {@code type} is
     * not {@code byte[]}) or no codec reads it as a {@code type}; 400 Bad Request saying what is wrong
     * when the body is malformed.
     *
     * @return the value, never null
     * @throws IllegalStateException when the body is not there to read: from an early handler (the body
     *     is not read yet), after the handler took the body as a stream, or when accumulation is off
     * @throws NullPointerException when {@code type} is null
     */
    <T> T getRequestBodyAs(Class<T> type);

    /** Returns the response headers; {@code Date} (and {@code Server}, when configured) are already set. */
    MessageHeaders getResponseHeaders();

    /** Returns the response body. */
    MessageBody getResponseBody();

    /** Returns the status code, or {@code 0} while none has been set. */
    int getStatus();

    /** Returns the reason phrase of the status line, or null while no status has been set. */
    String getReasonPhrase();

    /**
     * Sets the status with its standard reason phrase. Once a status is set, later steps of the
     * server's processing order are skipped.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 999}
     */
    void setStatus(int status);

    /**
     * Sets the status and a custom reason phrase.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 999}, or when the phrase contains
     *     CR, LF or another control character
     */
    void setStatus(int status, String reasonPhrase);

    /**
     * Replaces the response body with {@code body} and sets {@code Content-Type}. A null
     * {@code contentType} removes the Content-Type and requires an empty or null body. Does not set the
     * status. The array is not copied: do not change it afterwards.
     */
    void setResponse(String contentType, byte[] body);

    /**
     * Sets a redirect: the status and a {@code Location} resolved against the request URI.
     *
     * @throws IllegalArgumentException when {@code location} is not a valid URI reference
     */
    void setRedirect(int status, String location);

    /**
     * Sets {@code value} as the response body, written by the server's body codecs
     * ({@link Server#addBodyCodec}) in the content type the request's {@code Accept} weighs highest among
     * those the codecs write the value's class as; sets that {@code Content-Type} (with its charset) and,
     * when no status is set yet, 200. Built in: a {@code CharSequence} as
     * {@code text/plain; charset=utf-8}, a {@code byte[]} as {@code application/octet-stream}; JSON with
     * the {@code ladle-jackson} module.
     *
     * @throws dev.ladle.http.StatusException 406 Not Acceptable when the codecs write the value only in
     *     types the {@code Accept} refuses (nothing is changed then; the server answers 406 unless caught)
     * @throws IllegalArgumentException when no codec writes values of that class at all
     * @throws NullPointerException when {@code value} is null
     */
    void setResponseValue(Object value);

    /**
     * Sets the status (with its standard reason phrase) and {@code value} as the response body, as
     * {@link #setResponseValue(Object)} does; nothing is changed when that throws.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 999}, or as
     *     {@link #setResponseValue(Object)}
     */
    void setResponseValue(int status, Object value);

    /**
     * Answers with the file at {@code file}, streamed from disk: the response body refers to the file
     * and is never read into memory (a plain HTTP/1.1 connection sends it with {@code sendfile}; TLS and
     * HTTP/2 read it in pieces). The body is replaced and {@code Content-Type} set from the file name
     * ({@link dev.ladle.http.MediaTypes}). Call it from the handling thread; the file is opened now and
     * closed when the exchange ends.
     *
     * <p>When no status is set, or 200 is, the answer is negotiated like a static file server's: it
     * carries {@code ETag}, {@code Last-Modified} and {@code Accept-Ranges: bytes}; {@code If-None-Match}
     * and {@code If-Modified-Since} give 304, {@code If-Match} and {@code If-Unmodified-Since} give 412
     * ({@link dev.ladle.http.Preconditions}); a GET's {@code Range} gives 206 with one range or
     * {@code multipart/byteranges} with several, or 416 with {@code Content-Range: bytes *}{@code /N},
     * unless an {@code If-Range} names another version. Otherwise the status is 200. Any other status
     * set before (a 404 page kept in a file) is kept and the whole file sent, without validators.
     * A HEAD gets the headers and {@code Content-Length} without the file being opened.
     *
     * <p>Never throws for the file system: a file that does not exist (or a path that cannot name one)
     * gives 404, one that cannot be read or is not a regular file (a directory, a FIFO) 403, and an
     * unexpected read failure 500; each with a one-line {@code text/plain} body and nothing about the
     * file system. Does not check where {@code file} lies: a handler that maps request paths to files
     * must keep them inside its directory itself, as {@link dev.ladle.files.StaticFiles} does.
     *
     * @throws NullPointerException when {@code file} is null
     */
    void setResponseFile(java.nio.file.Path file);

    /**
     * Answers with the file at {@code file} as {@link #setResponseFile(java.nio.file.Path)} does, with
     * {@code contentType} instead of the one its name suggests (null: the suggested one). The parts of
     * a multi-range answer carry it too.
     *
     * @throws NullPointerException when {@code file} is null
     */
    void setResponseFile(java.nio.file.Path file, String contentType);

    /**
     * Sets how this response is compressed, instead of the server's setting ({@link Server#setCompression}):
     * {@link Compression#OFF} sends it as it is, another setting compresses it by that one's rules (see
     * {@link Compression}), null goes back to the server's. Call it from a handler, an early handler or a
     * router filter, before the head is written (before the first write to
     * {@link #getResponseBodyStream()}); the setting is read when the head is written.
     *
     * @throws IllegalStateException when the response head was written already
     */
    void setCompression(Compression compression);

    /** Returns the compression setting this response is written with: its own, else the server's. */
    Compression getCompression();

    /**
     * Returns the client's address, or null when the connection was given without one: the socket's
     * peer, unless a PROXY protocol header ({@link ListenOption#PROXY_PROTOCOL}) named the client, or
     * trusted proxies' forwarding headers did ({@link Server#setTrustedProxies}; then the port is 0
     * when they named none).
     */
    SocketAddress getRemoteAddress();

    /**
     * Returns the address of the socket's peer, whatever a PROXY header or forwarding headers say:
     * behind a load balancer, the balancer's. Null when the connection was given without one.
     */
    SocketAddress getPeerAddress();

    /**
     * Returns the PROXY protocol header the connection started with, or null on a listener without
     * {@link ListenOption#PROXY_PROTOCOL}. The same for every request of the connection.
     */
    ProxyHeader getProxyHeader();

    /**
     * Returns the local address the request arrived on, or null when unknown: the socket's own, also
     * behind a PROXY header (whose destination is {@code getProxyHeader().destinationAddress()}).
     */
    SocketAddress getLocalAddress();

    /** Returns the IP address of {@link #getRemoteAddress()} as a string, or null when it is not an IP address. */
    String getRemoteHost();

    /**
     * Returns true when the request arrived over TLS, or trusted proxies' forwarding headers say the
     * client used {@code https} ({@link Server#setTrustedProxies}).
     */
    boolean isSecure();

    /** Returns true for {@code OPTIONS *}. */
    boolean isOptionsPing();

    /**
     * Returns the value a {@link dev.ladle.route.Router} route's path template took from the request path
     * for {@code {name}} (or {@code {name...}}), or null when the route has no such parameter or no route
     * matched. Values are percent-decoded as the path is (not with raw paths).
     */
    default String getPathParameter(String name) {
        return null;
    }

    /**
     * Returns every path parameter of the route that matched, in template order: unmodifiable, and
     * empty when no route set any.
     */
    default Map<String, String> getPathParameters() {
        return Map.of();
    }

    /**
     * Returns the decoded value of query parameter {@code name} (the last one when it repeats), or null;
     * the same values a {@link ServerCallback} gets as its {@code query} map.
     */
    default String getQueryParameter(String name) {
        return getQueryParameters().get(name);
    }

    /**
     * Returns the decoded query parameters (last value wins for a repeated name; use
     * {@link dev.ladle.http.Forms#decodeMulti} on {@code getUri().getRawQuery()} for all of them):
     * unmodifiable, and empty when the target has no query.
     */
    default Map<String, String> getQueryParameters() {
        String query = getUri().getRawQuery();
        return query == null || query.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(dev.ladle.http.Forms.decode(query));
    }

    /** Returns the client's certificate chain (leaf first); empty when there is none or no TLS. */
    List<X509Certificate> getTlsPeerCertificates();

    /** Returns the problems found verifying the client's certificate; empty when none or no certificate. */
    Set<TlsCertificateFlag> getTlsPeerCertificateErrors();

    /**
     * Returns what revocation checking (see {@code Server.setTlsRevocation}) found for the client's
     * certificate chain: which certificate was revoked, why and when, or why its status is undetermined.
     * Never null; {@code NOT_CHECKED} when no checking is set, there is no client certificate, or the
     * chain has other errors.
     */
    dev.ladle.tls.TlsRevocationStatus getTlsPeerCertificateRevocation();

    /**
     * Returns the host name the client asked for in its TLS handshake (SNI), which chose the server's
     * certificate: lower case, an internationalized name in its ASCII (A-label, {@code xn--}) form. The
     * same for every request of a connection, HTTP/2 streams and WebSocket handshakes included; it need
     * not equal the request's {@code Host}. Null on plain connections and when the client sent no name
     * (as clients do when they connect to an IP address).
     */
    String getTlsServerName();

    /** Returns the user name an auth domain accepted for this request, or null. */
    String getAuthUser();

    /** Returns the auth domain that accepted the request, or null. */
    AuthDomain getAuthDomain();

    /**
     * Stops the server from sending the response when the handler returns. Callable from any thread;
     * the connection's thread parks (no busy wait) until {@link #unpause()}.
     */
    void pause();

    /** Resumes a paused message: the response (or its next chunk) goes out. Harmless when not paused or when the client left. */
    void unpause();

    /** Returns true while the message is paused. */
    boolean isPaused();

    /**
     * Returns the request body as a stream, for blocking handlers that read it themselves. Only usable
     * before the server reads the body: from an early handler, or from a normal handler that said it
     * streams this request's body ({@link ServerCallback#streamsRequestBody}, which a
     * {@link dev.ladle.route.Router} streaming route does); the server then does not read, accumulate or
     * size-limit it. A client's {@code Expect: 100-continue} is answered on the first read. Reading past
     * the body returns -1.
     *
     * @throws IllegalStateException when called after the body was read
     */
    InputStream getRequestBodyStream();

    /**
     * Returns a blocking stream that writes the response body as it is produced. The first write
     * commits the status and headers (chunked, unless a Content-Length was set); closing the stream ends
     * the body. A slow client blocks the writer: nothing is buffered without bound. When the response is
     * {@linkplain #setCompression compressed}, written bytes may wait in the compressor until
     * {@code flush()}: flush after each piece the client must see at once (an event, a progress line).
     */
    OutputStream getResponseBodyStream();

    /**
     * Takes the connection away from the server: the response not yet written is discarded and the
     * server forgets the connection. Use it for tunnels ({@code CONNECT}) or protocols after an upgrade,
     * typically from a {@code WroteInformational} or {@code WroteBody} listener, or from a handler.
     *
     * @throws IllegalStateException for an HTTP/2 request (its connection carries other streams), a
     *     connection already stolen, or a request the response timeout ({@link Limits#getResponseTimeout()})
     *     already answered
     */
    StolenConnection stealConnection();

    // ---- events --------------------------------------------------------------------------------

    /** The request line and headers were read. */
    Subscription onGotHeaders(Runnable listener);

    /** A piece of the request body arrived (the buffer is only valid during the call). */
    Subscription onGotChunk(Consumer<ByteBuffer> listener);

    /** The whole request body was read. */
    Subscription onGotBody(Runnable listener);

    /** A 1xx response (such as {@code 100 Continue}) was written. */
    Subscription onWroteInformational(Runnable listener);

    /** The final status line and headers were written. */
    Subscription onWroteHeaders(Runnable listener);

    /** One chunk of a chunked or streamed response body was written. */
    Subscription onWroteChunk(Runnable listener);

    /** Some response body bytes were written; the argument is their count. */
    Subscription onWroteBodyData(IntConsumer listener);

    /** The whole response body was written. */
    Subscription onWroteBody(Runnable listener);

    /** The exchange ended, written completely or not. */
    Subscription onFinished(Runnable listener);

    /** The connection the message arrived on closed. */
    Subscription onDisconnected(Runnable listener);

    /**
     * Decides, during the TLS handshake, whether to accept a client certificate chain; the predicate gets
     * the chain and the verification errors and returns true to accept. As in libsoup, the first request
     * of a connection is started before the TLS handshake, so subscribe from a
     * {@link Server#onRequestStarted} listener.
     */
    Subscription onAcceptCertificate(BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> listener);
}
