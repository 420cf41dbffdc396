package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificateFlag;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocket;

/** A TLS connection whose handshake is done: the socket's streams plus what the client proved. */
public final class TlsTransport extends SocketTransport {
    private final List<X509Certificate> peerCertificates;
    private final Set<TlsCertificateFlag> peerCertificateErrors;

    TlsTransport(SSLSocket socket, List<X509Certificate> peerCertificates, Set<TlsCertificateFlag> peerCertificateErrors)
            throws IOException {
        super(socket);
        this.peerCertificates = peerCertificates;
        this.peerCertificateErrors = peerCertificateErrors;
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

    /** Returns the protocol agreed through ALPN ({@code http/1.1}...), or the empty string when none was. */
    public String applicationProtocol() {
        String protocol = ((SSLSocket) socket()).getApplicationProtocol();
        return protocol == null ? "" : protocol;
    }

    /** Returns the TLS version in use, such as {@code TLSv1.3}. */
    public String protocol() {
        return ((SSLSocket) socket()).getSession().getProtocol();
    }
}
