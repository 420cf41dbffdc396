package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificateFlag;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/** Performs the server side of TLS handshakes for https listeners. */
public final class TlsHandshaker {
    private TlsHandshaker() {
    }

    /**
     * Wraps an accepted socket in TLS and completes the handshake.
     *
     * @throws IOException when the handshake fails
     */
    public static Transport handshake(ServerState state, Socket socket,
                                      BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> acceptCertificate)
            throws IOException {
        throw new IOException("TLS is not available in this build");
    }
}
