package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The byte streams of one client connection, whatever carries them: a TCP socket, a TLS socket, a
 * Unix-domain channel or streams handed to {@code Server.acceptStream}.
 */
public interface Transport extends java.io.Closeable {
    /** Returns the input stream; reads block. */
    InputStream input();

    /** Returns the output stream; writes block. */
    OutputStream output();

    /** Returns the local address, or null. */
    SocketAddress localAddress();

    /** Returns the peer address, or null. */
    SocketAddress remoteAddress();

    /**
     * Bounds the next blocking reads: a read that waits longer throws
     * {@link java.net.SocketTimeoutException}. Returns false when this transport cannot time reads out.
     *
     * @param millis the timeout, or 0 for none
     */
    boolean setReadTimeout(int millis) throws IOException;

    /**
     * Returns true when {@link #setReadTimeout} makes reads throw {@link java.net.SocketTimeoutException}
     * on time; false when a watchdog closes the connection instead, about a second late.
     */
    default boolean hasPreciseTimeouts() {
        return true;
    }

    /**
     * Returns the socket channel under a plain (not TLS) TCP connection, which a file can be sent to with
     * {@link java.nio.channels.FileChannel#transferTo} ({@code sendfile}); null for every other transport.
     */
    default java.nio.channels.SocketChannel plainChannel() {
        return null;
    }

    /** Returns true for TLS connections. */
    default boolean isSecure() {
        return false;
    }

    /** Returns the verified or presented client certificate chain; empty when none. */
    default List<X509Certificate> peerCertificates() {
        return List.of();
    }

    /** Returns the problems found verifying {@link #peerCertificates()}; empty when none. */
    default java.util.Set<dev.ladle.tls.TlsCertificateFlag> peerCertificateErrors() {
        return java.util.Set.of();
    }

    /** Returns the revocation status of {@link #peerCertificates()}; {@code NOT_CHECKED} when it was not checked. */
    default dev.ladle.tls.TlsRevocationStatus peerCertificateRevocation() {
        return dev.ladle.tls.TlsRevocationStatus.notChecked();
    }

    /**
     * Returns the host name the client asked for in its TLS handshake (SNI), lower case, IDNs as
     * A-labels; null when it sent none or the connection is not TLS.
     */
    default String tlsServerName() {
        return null;
    }

    /** Half-closes the output (sends FIN) when supported, so the peer sees the end of a close-delimited body. */
    void shutdownOutput() throws IOException;

    /** Closes the connection; safe to call more than once and from any thread. */
    @Override
    void close();

    /**
     * Ends the connection abortively: over TCP the peer gets a reset (RST, SO_LINGER 0) instead of an
     * orderly end, and bytes not yet sent are dropped. Transports without a socket just close.
     */
    default void reset() {
        close();
    }
}
