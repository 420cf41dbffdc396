package dev.ladle.examples.guide.tls;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/** The guide's TLS chapter: https and http side by side, and a page that names the client's certificate. */
public final class TlsServer {
    private TlsServer() {
    }

    /** Reads certbot's files in {@code dir}: the chain (leaf first, then intermediates) and the key. */
    public static TlsCertificate fromPem(Path dir) throws IOException {
        // tag::pem[]
        TlsCertificate certificate = TlsCertificate.fromPemFiles(dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"));
        // end::pem[]
        return certificate;
    }

    /** Reads a PKCS#12 file holding one key and its chain. */
    public static TlsCertificate fromPkcs12(Path file, char[] password) throws IOException {
        // tag::pkcs12[]
        TlsCertificate certificate = TlsCertificate.fromPkcs12(file, password);
        // end::pkcs12[]
        return certificate;
    }

    /**
     * Starts https on {@code httpsPort} and plain http on {@code httpPort}, both on the loopback addresses
     * (0 picks a free port).
     */
    public static Server start(TlsCertificate certificate, int httpsPort, int httpPort) throws IOException {
        // tag::listen[]
        Server server = new Server();
        server.setTlsCertificate(certificate);
        server.addHandler("/", (srv, msg, path, query) ->
                msg.setResponseValue(msg.isSecure() ? "over https\n" : "over plain http\n"));
        server.listenLocal(httpsPort, Set.of(ListenOption.HTTPS));
        server.listenLocal(httpPort, Set.of());
        // end::listen[]
        return server;
    }

    /** Asks https clients for a certificate signed by the CAs in {@code clientCas} and names it at {@code /whoami}. */
    public static void askForClientCertificates(Server server, Path clientCas) throws IOException {
        // tag::client-certificates[]
        server.setTlsDatabase(TlsDatabase.fromPemFile(clientCas));
        server.setTlsAuthMode(TlsAuthMode.REQUESTED);
        server.addHandler("/whoami", (srv, msg, path, query) -> {
            List<X509Certificate> chain = msg.getTlsPeerCertificates(); // leaf first; empty without one
            if (chain.isEmpty() || !msg.getTlsPeerCertificateErrors().isEmpty()) {
                msg.setResponseValue(403, "no valid client certificate\n");
                return;
            }
            msg.setResponseValue("Hello, " + chain.get(0).getSubjectX500Principal().getName() + "\n");
        });
        // end::client-certificates[]
    }
}
