package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificateFlag;
import dev.ladle.tls.TlsRevocationStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * A TLS connection whose handshake is done: the socket's streams plus what the client proved.
 *
 * <p>{@link #close()} never blocks for long. The JDK's {@code SSLSocket.close()} sends close_notify, for
 * which it waits for any write in progress; a client that reads nothing would hold both for ever. So a
 * close during a write cuts the TCP connection at once, and a close_notify that cannot be sent within
 * {@link #CLOSE_NOTIFY_MILLIS} is given up the same way.
 */
public final class TlsTransport extends SocketTransport {
    /** How long a close may wait to send close_notify. */
    static final long CLOSE_NOTIFY_MILLIS = 1000;

    private final Socket plain;
    private final List<X509Certificate> peerCertificates;
    private final Set<TlsCertificateFlag> peerCertificateErrors;
    private final TlsRevocationStatus peerCertificateRevocation;
    /** The host name the client sent (SNI), read once after the handshake; null when none. */
    private final String serverName;
    private final GuardedOutput output;
    private final AtomicInteger writers = new AtomicInteger();
    private volatile boolean closing;

    TlsTransport(SSLSocket socket, Socket plain, List<X509Certificate> peerCertificates,
                 Set<TlsCertificateFlag> peerCertificateErrors, TlsRevocationStatus peerCertificateRevocation) throws IOException {
        super(socket);
        this.plain = plain;
        this.peerCertificates = peerCertificates;
        this.peerCertificateErrors = peerCertificateErrors;
        this.peerCertificateRevocation = peerCertificateRevocation;
        this.serverName = ServerNameKeyManager.requestedHostName(socket.getSession());
        this.output = new GuardedOutput(super.output());
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    @Override
    public Set<TlsCertificateFlag> peerCertificateErrors() {
        return peerCertificateErrors;
    }

    @Override
    public TlsRevocationStatus peerCertificateRevocation() {
        return peerCertificateRevocation;
    }

    @Override
    public String tlsServerName() {
        return serverName;
    }

    /** Returns the protocol agreed through ALPN ({@code http/1.1}...), or the empty string when none was. */
    public String applicationProtocol() {
        String protocol = ((SSLSocket) socket()).getApplicationProtocol();
        return protocol == null ? "" : protocol;
    }

    /** Returns the TLS version in use, such as {@code TLSv1.3}. */
    public String protocol() {
        return ((SSLSocket) socket()).getSession().getProtocol();
    }

    /** Sends close_notify and closes, or cuts the connection when that would block; see the class comment. */
    @Override
    public void close() {
        closing = true;
        // a writer increments before it checks closing; this reads writers after setting closing: one of
        // the two sees the other
        if (writers.get() > 0) {
            closePlain();
        }
        SocketDeadline guard = SocketDeadline.start(plain, CLOSE_NOTIFY_MILLIS);
        try {
            SSLSocket tls = (SSLSocket) socket();
            if (!tls.isClosed() && !tls.isOutputShutdown()) {
                // a half close sends close_notify alone; the JDK's full close in TLS 1.3 sends a
                // user_canceled alert first, which clients such as Go's report as an error
                try {
                    tls.shutdownOutput();
                } catch (IOException | RuntimeException e) {
                    // the peer is gone: close below
                }
            }
            super.close();
        } finally {
            guard.close();
        }
    }

    /** Resets the TCP connection under TLS at once, without close_notify or any other alert. */
    @Override
    public void reset() {
        closing = true;
        lingerZero(plain);
        closePlain();
    }

    private void closePlain() {
        try {
            plain.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }

    /** Counts writes in progress so that {@link #close()} knows whether close_notify would wait for one. */
    private final class GuardedOutput extends OutputStream {
        private final OutputStream out;

        GuardedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            enter();
            try {
                out.write(b);
            } finally {
                writers.decrementAndGet();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            enter();
            try {
                out.write(b, off, len);
            } finally {
                writers.decrementAndGet();
            }
        }

        @Override
        public void flush() throws IOException {
            enter();
            try {
                out.flush();
            } finally {
                writers.decrementAndGet();
            }
        }

        @Override
        public void close() {
            TlsTransport.this.close();
        }

        private void enter() throws SocketException {
            writers.incrementAndGet();
            if (closing) {
                writers.decrementAndGet();
                throw new SocketException("connection closed");
            }
        }
    }
}
