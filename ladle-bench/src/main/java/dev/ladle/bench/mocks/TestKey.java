package dev.ladle.bench.mocks;

import dev.ladle.junit.TestCertificates;
import dev.ladle.tls.TlsCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The key every HTTPS cycle serves, so that the three libraries do the same handshake: the server
 * certificate (EC P-256, for {@code 127.0.0.1}) of {@link TestCertificates#shared()}, which
 * {@code MockServer.builder().https()} serves, handed to MockWebServer as key managers and to WireMock
 * as a PKCS#12 file; and a client context that trusts its CA. Made once; thread-safe.
 */
public final class TestKey {
    private static final char[] PASSWORD = "bench-key".toCharArray();

    private final KeyManager[] keyManagers;
    private final Path pkcs12;
    private final SSLContext clientContext;

    private TestKey(KeyManager[] keyManagers, Path pkcs12, SSLContext clientContext) {
        this.keyManagers = keyManagers;
        this.pkcs12 = pkcs12;
        this.clientContext = clientContext;
    }

    /** The one instance, made on first use (its PKCS#12 file is deleted when the JVM exits). */
    public static TestKey get() {
        return Holder.KEY;
    }

    private static final class Holder {
        static final TestKey KEY = make();
    }

    private static TestKey make() {
        TestCertificates certificates = TestCertificates.shared();
        TlsCertificate server = certificates.serverCertificate();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", server.getPrivateKey(), PASSWORD, server.getCertificateChain().toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PASSWORD);
            Path file = Files.createTempFile("mock-cycles-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD);
            }
            return new TestKey(factory.getKeyManagers(), file, certificates.trustingSslContext());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make the benchmark's TLS key: " + e.getMessage(), e);
        }
    }

    /**
     * A new server context for the key, as OkHttp's {@code HandshakeCertificates.sslSocketFactory()}
     * makes one per call: a server started with it shares no TLS session cache with the one before.
     */
    public SSLContext newServerContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make a TLS server context: " + e.getMessage(), e);
        }
    }

    /** The key and its certificate as a PKCS#12 file (alias {@code server}), for servers that read one. */
    public Path pkcs12File() {
        return pkcs12;
    }

    /** The password of {@link #pkcs12File()} and of the key in it. */
    public String password() {
        return new String(PASSWORD);
    }

    /** A client context that trusts the certificate's CA and nothing else. */
    public SSLContext clientContext() {
        return clientContext;
    }
}
