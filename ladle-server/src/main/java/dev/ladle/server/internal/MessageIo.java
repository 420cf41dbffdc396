package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import dev.ladle.server.Limits;
import dev.ladle.server.StolenConnection;
import dev.ladle.tls.TlsCertificateFlag;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The protocol side of one exchange: how its request is read and its response written (libsoup's
 * {@code SoupServerMessageIO}). HTTP/1.1 has one per connection ({@link HttpConnection}), HTTP/2 one
 * per stream. The {@link RequestPipeline} and the message's streams talk to nothing else, so every
 * step of the pipeline runs unchanged over either protocol.
 */
public interface MessageIo {
    /** Returns the server this exchange belongs to. */
    ServerState state();

    // ---- the request -------------------------------------------------------------------------------

    /**
     * Reads the request head into {@code ex} (method, target, version, Host or authority, framing
     * facts) and sets {@code ex.bodyReader}; checks what only this protocol can check.
     *
     * @throws HttpException for a malformed head
     * @throws java.io.EOFException when the peer left before a whole head arrived
     */
    void readHead(Exchange ex, Limits limits) throws IOException, HttpException;

    /** Bounds each following wait for request body bytes; {@code 0} for none. */
    void setBodyReadTimeout(int millis) throws IOException;

    /**
     * Returns true when request body bytes left unread stand in front of the next request, so they
     * must be read away or the connection closed (HTTP/1); false when the protocol can drop them
     * (an HTTP/2 stream is simply reset).
     */
    boolean unreadBodyBlocksNextRequest();

    /** Returns true when another request may follow on this connection (the server still listens). */
    boolean mayKeepAlive();

    /** Returns true when the next request's bytes are already here, so a flush may wait for its response. */
    boolean hasBufferedRequest();

    /** Reads request body bytes for a handler's body stream, through the pipeline. */
    int readBody(Exchange ex, byte[] b, int off, int len) throws IOException, HttpException;

    // ---- the response ------------------------------------------------------------------------------

    /**
     * Writes the status and headers, deciding the body's framing.
     *
     * @param keepAlive whether the request side lets the connection serve another request
     * @return the framing of the body to follow; {@link ResponseWriter.Framing#NONE} when none may
     */
    ResponseWriter.Framing writeHead(Exchange ex, boolean keepAlive) throws IOException;

    /** Writes {@code 100 Continue} and makes sure it reaches the client. */
    void writeContinue(Exchange ex) throws IOException;

    /**
     * Writes one piece of the body.
     *
     * @param last true when no body bytes follow this piece (a protocol may end the body with it)
     * @param flush true when the piece must reach the client now
     */
    void writeBodyPiece(ResponseWriter.Framing framing, ByteBuffer data, boolean last, boolean flush) throws IOException;

    /**
     * Returns true when file regions of a body can go out by {@link #writeFilePiece} (a plain HTTP/1.1
     * connection, {@code sendfile}); false when they must be read into memory and written as pieces.
     */
    default boolean sendsFiles() {
        return false;
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} as one piece of the body; only
     * called when {@link #sendsFiles()}.
     *
     * @throws java.io.EOFException when the file ends before {@code count} bytes (it shrank)
     */
    default void writeFilePiece(ResponseWriter.Framing framing, java.nio.channels.FileChannel file, long position, long count)
            throws IOException {
        throw new UnsupportedOperationException("this protocol does not send files directly");
    }

    /**
     * Returns true when {@link #writeDirectPieces} writes several direct buffers with one system call
     * (a plain HTTP/1.1 connection); false when body pieces go one by one.
     */
    default boolean gathersDirectPieces() {
        return false;
    }

    /**
     * Writes direct buffers as consecutive pieces of a body framed by its length, with what is buffered
     * before them, in as few writes as the socket takes; only called when {@link #gathersDirectPieces()}.
     */
    default void writeDirectPieces(ByteBuffer[] pieces) throws IOException {
        throw new UnsupportedOperationException("this protocol writes body pieces one by one");
    }

    /** Ends the body (the last chunk of a chunked body; an HTTP/2 END_STREAM if none went out yet). */
    void writeEnd(ResponseWriter.Framing framing) throws IOException;

    /** Writes a complete error response made by the server, with a short plain-text reason. */
    void writeError(Exchange ex, int status, String reason, boolean close) throws IOException;

    /** Sends what is buffered. */
    void flush() throws IOException;

    /**
     * Answers {@code ex} with the response timeout's 503 (the caller claimed its head, so the pipeline
     * writes none) from a thread that is not the exchange's, which may still run the handler; then ends
     * the exchange as its protocol does (HTTP/1: the connection closes; HTTP/2: the stream ends) and
     * wakes a paused wait, which then fails. Never throws: a client that left is simply gone.
     */
    void answerTimeout(Exchange ex);

    /** Returns true once a write to the client failed: the client left. */
    boolean outputFailed();

    /** Sends the head of a response whose body a handler streams through its OutputStream. */
    ResponseWriter.Framing commitStreamingHead(Exchange ex) throws IOException;

    /**
     * Hands the connection (HTTP/1) or the stream (HTTP/2) to the WebSocket once its handshake
     * answer went out; returns when the WebSocket ended.
     */
    void startWebSocket(Exchange ex, WebSocketUpgrade upgrade) throws IOException;

    /** Takes the connection away from the server ({@code ServerMessage.stealConnection}). */
    StolenConnection steal(Exchange ex);

    // ---- pausing -----------------------------------------------------------------------------------

    /** Pauses {@code ex}: the pipeline waits before its next step until {@link #unpause}. */
    void pause(Exchange ex);

    /** Lets a paused {@code ex} go on; from any thread. */
    void unpause(Exchange ex);

    /** Waits while {@code ex} is paused; throws when the peer left meanwhile. */
    void awaitUnpaused(Exchange ex) throws IOException;

    /**
     * Returns the body data at {@code offset}, pausing {@code ex} until the handler appends some and
     * unpauses it; an empty buffer once the body is complete.
     */
    ByteBuffer awaitChunk(Exchange ex, MessageBody body, long offset) throws IOException;

    // ---- connection facts --------------------------------------------------------------------------

    /** Returns true for TLS, also before the handshake finished. */
    boolean isSecure();

    /** Returns the local address, or null. */
    SocketAddress localAddress();

    /** Returns the client's address (the one a PROXY header carried, else the peer's), or null. */
    SocketAddress remoteAddress();

    /** Returns the socket peer's address (a balancer's, behind one), or null. */
    SocketAddress peerAddress();

    /** Returns the PROXY protocol header the connection started with, or null. */
    dev.ladle.server.ProxyHeader proxyHeader();

    /** Returns the client's certificate chain; empty when none. */
    List<X509Certificate> peerCertificates();

    /** Returns the problems found with {@link #peerCertificates()}. */
    Set<TlsCertificateFlag> peerCertificateErrors();

    /** Returns the revocation status of {@link #peerCertificates()}. */
    dev.ladle.tls.TlsRevocationStatus peerCertificateRevocation();

    /** Returns the host name the client sent in its TLS handshake (SNI); null when none or no TLS. */
    String tlsServerName();
}
