package dev.ladle.server.internal;

import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Chooses the ALPN protocol of a TLS connection with HTTP/2 on: the server's first preference the
 * client offers ({@code h2}, then {@code http/1.1}, then {@code http/1.0}), except that {@code h2} is
 * not chosen over TLS 1.2 with a cipher suite RFC 9113 (section 9.2.2 and appendix A) prohibits for
 * HTTP/2; such a client gets HTTP/1.1 instead of a connection error. The JDK calls it after the cipher
 * suite was chosen, so the handshake session already names the suite.
 */
final class ApplicationProtocolSelector implements BiFunction<SSLSocket, List<String>, String> {
    /** The one instance: it holds nothing. */
    static final ApplicationProtocolSelector INSTANCE = new ApplicationProtocolSelector();

    private ApplicationProtocolSelector() {
    }

    @Override
    public String apply(SSLSocket socket, List<String> offered) {
        SSLSession session = socket.getHandshakeSession();
        boolean h2Allowed = session != null && permitsHttp2(session.getProtocol(), session.getCipherSuite());
        for (String protocol : TlsContext.APPLICATION_PROTOCOLS_H2) {
            if (offered.contains(protocol) && (h2Allowed || !protocol.equals("h2"))) {
                return protocol;
            }
        }
        // nothing in common: null lets the JDK refuse with a no_application_protocol alert, as it does
        // when it chooses by itself
        return null;
    }

    /**
     * True when HTTP/2 may run over {@code cipherSuite} in {@code protocol}: always with TLS 1.3, and with
     * TLS 1.2 only for an ephemeral key exchange with an AEAD cipher (everything else is on RFC 9113's
     * list of prohibited suites, CCM with its short 8-byte tag included).
     */
    static boolean permitsHttp2(String protocol, String cipherSuite) {
        if (!"TLSv1.2".equals(protocol)) {
            return true; // TLS 1.3: every suite is AEAD; older versions are never enabled
        }
        boolean ephemeral = cipherSuite.startsWith("TLS_ECDHE_") || cipherSuite.startsWith("TLS_DHE_");
        boolean aead = cipherSuite.contains("_GCM_") || cipherSuite.endsWith("_CHACHA20_POLY1305_SHA256")
                || cipherSuite.endsWith("_CCM");
        return ephemeral && aead;
    }
}
