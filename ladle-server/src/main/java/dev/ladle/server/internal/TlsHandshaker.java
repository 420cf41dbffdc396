package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificateFlag;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsRevocationStatus;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BiPredicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Turns an accepted TCP connection of an https listener into a TLS {@link Transport}: the versions and
 * suites of the server's {@link dev.ladle.tls.TlsProfile}, ALPN {@code http/1.1} (and {@code h2}), the
 * server's certificate for the name the client asks for (SNI, see {@link ServerNameKeyManager}), and
 * client certificates per its {@link TlsAuthMode}, all bounded by {@code Limits.getTlsHandshakeTimeout()}.
 * Client-initiated renegotiation is refused ({@link RenegotiationGuard}).
 */
public final class TlsHandshaker {
    private static final System.Logger LOG = System.getLogger("dev.ladle.tls");
    /** The context last built for each server; weak so a dropped server does not stay reachable. */
    private static final Map<ServerState, TlsContext> CONTEXTS = Collections.synchronizedMap(new WeakHashMap<>());

    private TlsHandshaker() {
    }

    /**
     * Does the server side of the TLS handshake on {@code socket}, on the calling thread.
     *
     * <p>A client certificate the trust database (or, when none is set, the system's) accepts is
     * accepted. One it does not is decided by {@code acceptCertificate} when given; without it,
     * {@link TlsAuthMode#REQUESTED} serves the client and reports the errors on its messages, and
     * {@link TlsAuthMode#REQUIRED} fails the handshake, as it does for a client without a certificate.
     * With the server's {@link TlsRevocation}, a chain the database trusts is checked for revocation
     * too, on full and resumed handshakes: revoked is {@link TlsCertificateFlag#REVOKED}, undetermined
     * under hard-fail {@link TlsCertificateFlag#GENERIC_ERROR}.
     *
     * @param state the server: its certificates, trust database, authentication mode and handshake timeout
     *     are read once, at the start
     * @param socket a just-accepted plain socket; on failure it is closed
     * @param acceptCertificate the message's accept-certificate listeners, called with the chain (leaf
     *     first) and its errors when verification fails; null when nobody listens
     * @return the TLS transport, {@linkplain Transport#isSecure() secure}, with the client's chain and errors
     * @throws IOException when the handshake fails or times out, the client is refused, or no certificate is
     *     set; the socket is then closed and the message says why (for a debug log, not for the client)
     */
    public static Transport handshake(ServerState state, Socket socket,
                                      BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> acceptCertificate)
            throws IOException {
        TlsContext context;
        try {
            context = contextFor(state);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw new IOException("TLS is not usable: " + e.getMessage(), e);
        }
        long timeout = Math.max(1, state.limits().getTlsHandshakeTimeout().toMillis());
        SSLSocket tls = null;
        RenegotiationGuard guard = null;
        ClientCertificateCheck check = new ClientCertificateCheck(context.mode, acceptCertificate);
        SocketDeadline deadline = SocketDeadline.start(socket, timeout);
        try {
            guard = new RenegotiationGuard(socket);
            tls = (SSLSocket) context.socketFactory.createSocket(guard, null, true);
            tls.setSSLParameters(state.http2Enabled() ? context.parametersWithH2 : context.parameters);
            if (state.http2Enabled()) {
                tls.setHandshakeApplicationProtocolSelector(ApplicationProtocolSelector.INSTANCE);
            }
            if (context.mode != TlsAuthMode.NONE) {
                context.trustManager.begin(tls, check);
            }
            tls.setSoTimeout((int) Math.min(timeout, Integer.MAX_VALUE));
            tls.startHandshake();
            guard.handshakeComplete(tls.getSession().getProtocol());
            tls.setSoTimeout(0);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            String reason = deadline.expired() || e instanceof SocketTimeoutException
                    ? "timed out after " + timeout + " ms" : "failed: " + e.getMessage();
            throw new IOException("TLS handshake with " + socket.getRemoteSocketAddress() + " " + reason, e);
        } finally {
            deadline.close();
            if (tls != null && context.mode != TlsAuthMode.NONE) {
                context.trustManager.end(tls);
            }
        }
        if (deadline.expired()) {
            // the deadline fired just as the handshake ended: the socket is already closed
            throw new IOException("TLS handshake with " + socket.getRemoteSocketAddress() + " timed out after " + timeout + " ms");
        }
        if (context.mode != TlsAuthMode.NONE && !check.examined() && !examineResumed(tls, context, check)) {
            closeQuietly(socket);
            throw new IOException("TLS session resumed by " + socket.getRemoteSocketAddress()
                    + " refused: its client certificate is now " + check.revocation());
        }
        return new TlsTransport(tls, socket, check.chain(), check.errors(), check.revocation());
    }

    /**
     * Returns the context for the server's current settings, building a new one when they changed, so a
     * new certificate (the default or one for a name) applies to the connections accepted after it was set.
     */
    static TlsContext contextFor(ServerState state) {
        TlsSettings settings = TlsSettings.of(state);
        if (settings.certificates().isEmpty()) {
            throw new IllegalStateException("no TLS certificate set");
        }
        TlsContext context = CONTEXTS.get(state);
        if (context == null || !context.matches(settings)) {
            // two connections may race to build it; both contexts work and the last one is kept
            context = TlsContext.build(settings);
            CONTEXTS.put(state, context);
            LOG.log(System.Logger.Level.DEBUG, "TLS context built for {0}, client certificates {1}, profile {2}",
                    settings.certificates(), settings.mode(), settings.profile().name());
        }
        return context;
    }

    /**
     * A resumed session skips certificate verification: the chain was accepted when the session began.
     * Report it and its errors again, as GIO does. Revocation is checked again too, since a certificate
     * may have been revoked after its session began; a chain found revoked (or, under hard-fail, of
     * undetermined status) is decided again as in a full handshake. Returns false when it is refused.
     */
    private static boolean examineResumed(SSLSocket tls, TlsContext context, ClientCertificateCheck check) {
        SSLSession session = tls.getSession();
        Certificate[] presented;
        try {
            presented = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return true;
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : presented) {
            if (certificate instanceof X509Certificate x509) {
                chain.add(x509);
            }
        }
        if (chain.isEmpty()) {
            return true;
        }
        X509Certificate[] array = chain.toArray(new X509Certificate[0]);
        // no socket: its handshake is over, and the JDK only consults one during a handshake
        CertificateErrors.Verification verification = context.trustManager.verifier().verify(array, array[0].getPublicKey().getAlgorithm(), null);
        TlsRevocationStatus.State revocation = verification.revocation().state();
        // revocation is checked only for chains without other errors: any error now is the revocation's
        if (!verification.errors().isEmpty()
                && (revocation == TlsRevocationStatus.State.REVOKED || revocation == TlsRevocationStatus.State.UNDETERMINED)) {
            return check.decide(array, verification);
        }
        check.record(array, verification);
        return true;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already failing: nothing more to do
        }
    }
}
