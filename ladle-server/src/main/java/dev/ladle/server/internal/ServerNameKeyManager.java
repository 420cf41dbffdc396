package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificate;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the server's certificate per handshake from a {@link ServerCertificates} snapshot, by the host
 * name the client sent (SNI) and the key type the JDK asks for. The JDK asks once per key type, in the
 * order of the client's signature algorithms (TLS 1.3) or of the cipher suites (TLS 1.2), until an
 * alias comes back; so a name with an RSA and an ECDSA certificate serves each client the one it
 * prefers, and a name without a certificate of the asked type answers null, never another name's.
 */
final class ServerNameKeyManager extends X509ExtendedKeyManager {
    /**
     * Accepts every host name. With no matcher the JDK ignores SNI when resuming a TLS 1.2 session; with
     * one it refuses to resume a session under another name than the one it began with (RFC 6066
     * section 3), which matters once names have different certificates.
     */
    static final SNIMatcher ANY_HOST_NAME = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    };
    private static final String ALIAS_PREFIX = "ladle-";

    private final ServerCertificates certificates;
    /** Every certificate of the snapshot; an alias is an index here. */
    private final List<TlsCertificate> all;
    private final Map<TlsCertificate, String> aliases = new IdentityHashMap<>();
    private final List<X509Certificate[]> chains = new ArrayList<>();

    ServerNameKeyManager(ServerCertificates certificates) {
        this.certificates = certificates;
        this.all = certificates.all();
        for (int i = 0; i < all.size(); i++) {
            aliases.put(all.get(i), ALIAS_PREFIX + i);
            chains.add(all.get(i).getCertificateChain().toArray(new X509Certificate[0]));
        }
    }

    /**
     * Returns the first host name in the client's SNI, lower case, in ASCII (A-label) form; null when it
     * sent none.
     */
    static String requestedHostName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession handshake = socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null;
        return choose(keyType, handshake);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession handshake) {
        String serverName = handshake == null ? null : requestedHostName(handshake);
        for (TlsCertificate certificate : certificates.forServerName(serverName)) {
            if (ServerCertificates.keyType(certificate).equals(keyType)) {
                return aliases.get(certificate);
            }
        }
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> matching = new ArrayList<>();
        for (TlsCertificate certificate : all) {
            if (ServerCertificates.keyType(certificate).equals(keyType)) {
                matching.add(aliases.get(certificate));
            }
        }
        return matching.isEmpty() ? null : matching.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        int index = index(alias);
        return index < 0 ? null : chains.get(index).clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        int index = index(alias);
        return index < 0 ? null : all.get(index).getPrivateKey();
    }

    private int index(String alias) {
        if (alias == null || !alias.startsWith(ALIAS_PREFIX)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(alias, ALIAS_PREFIX.length(), alias.length(), 10);
            return index < all.size() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A server presents certificates; it never chooses a client one. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** A server presents certificates; it never chooses a client one. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
