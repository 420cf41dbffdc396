package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --tls-cert}, {@code --tls-key}, {@code --client-cert} and {@code --trust}: loads the PEM files
 * into the server's TLS settings, turning any failure into one line that names the file.
 */
final class TlsSetup {
    private TlsSetup() {
    }

    /**
     * Sets the certificate, the client-certificate mode and the trust database of {@code server}.
     *
     * @param trust the PEM file of trusted client-certificate issuers, or null for the system's
     * @throws StartupException when a file is missing, unreadable or not valid PEM
     */
    static void configure(Server server, Path cert, Path key, TlsAuthMode mode, Path trust) {
        requireReadable(cert, "--tls-cert");
        requireReadable(key, "--tls-key");
        try {
            server.setTlsCertificate(TlsCertificate.fromPemFiles(cert, key));
        } catch (Exception e) {
            throw new StartupException("cannot use the TLS certificate " + cert + " with the key " + key + ": "
                    + describe(e));
        }
        if (trust != null) {
            requireReadable(trust, "--trust");
            try {
                server.setTlsDatabase(TlsDatabase.fromPemFile(trust));
            } catch (Exception e) {
                throw new StartupException("cannot use the trusted certificates in " + trust + ": " + describe(e));
            }
        }
        server.setTlsAuthMode(mode);
    }

    private static void requireReadable(Path file, String option) {
        if (!Files.exists(file)) {
            throw new StartupException(option + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new StartupException(option + " " + file + ": not a readable file");
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
