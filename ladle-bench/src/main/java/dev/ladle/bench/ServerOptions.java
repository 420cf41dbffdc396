package dev.ladle.bench;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * How to start a benchmark server.
 *
 * @param port the port to listen on, 0 for a free one
 * @param keyStore a PKCS#12 key store with the server's key and certificate for https, or null for
 *     plain http
 * @param keyStorePassword the key store's password (also the key's), or null for plain http
 */
public record ServerOptions(int port, Path keyStore, char[] keyStorePassword) {

    /** Options for plain http on {@code port}. */
    public static ServerOptions plain(int port) {
        return new ServerOptions(port, null, null);
    }

    /** Returns true when the server must listen with TLS. */
    public boolean tls() {
        return keyStore != null;
    }

    /** Returns an {@link SSLContext} holding the key store's key, for peers that take one. */
    public SSLContext sslContext() {
        return TlsMaterial.serverContext(keyStore, keyStorePassword);
    }
}
