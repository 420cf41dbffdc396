package dev.ladle.server.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of Ladle's server TLS context. JSSE calls it during the handshake with the TLS
 * socket; it finds that socket's {@link ClientCertificateCheck}, records the chain and its errors, and
 * throws (failing the handshake) only when the check refuses the chain. One instance serves every
 * connection of a context, hence the map from socket to check.
 */
final class ClientCertificateTrustManager extends X509ExtendedTrustManager {
    private final CertificateErrors verifier;
    private final Map<Socket, ClientCertificateCheck> checks = new ConcurrentHashMap<>();

    ClientCertificateTrustManager(CertificateErrors verifier) {
        this.verifier = verifier;
    }

    /** Routes the verification of {@code socket}'s handshake to {@code check}, until {@link #end}. */
    void begin(Socket socket, ClientCertificateCheck check) {
        checks.put(socket, check);
    }

    /** Forgets {@code socket}. */
    void end(Socket socket) {
        checks.remove(socket);
    }

    /** Returns the verifier, to examine the chain of a resumed session. */
    CertificateErrors verifier() {
        return verifier;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        ClientCertificateCheck check = socket == null ? null : checks.get(socket);
        if (check == null) {
            throw new CertificateException("no handshake in progress for this socket");
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException("empty client certificate chain");
        }
        if (!check.decide(chain, verifier.verify(chain, authType, socket))) {
            throw new CertificateException("client certificate refused: " + check.errors());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are only verified on Ladle's TLS sockets");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client certificates are only verified on Ladle's TLS sockets");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server context does not verify server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a server context does not verify server certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a server context does not verify server certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.acceptedIssuers();
    }
}
