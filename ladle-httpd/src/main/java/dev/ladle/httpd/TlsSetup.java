package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --tls-cert}, {@code --tls-key}, {@code --client-cert} and {@code --trust}: loads the PEM files
 * into the server's TLS settings, turning any failure into one line that names the file.
 */
final class TlsSetup {
    private TlsSetup() {
    }

    /**
     * Sets the certificates, the client-certificate mode and the trust database of {@code server}. The
     * first certificate is the default, for clients that send no server name (SNI) or one no certificate
     * names; every certificate also serves the DNS names of its subjectAltName, a later one replacing an
     * earlier one of the same key type for a name it shares.
     *
     * @param certs the {@code --tls-cert} files, each with the {@code --tls-key} at the same position in {@code keys}
     * @param trust the PEM file of trusted client-certificate issuers, or null for the system's
     * @throws StartupException when a file is missing, unreadable or not valid PEM, or a certificate after
     *     the first names no DNS host
     */
    static void configure(Server server, List<Path> certs, List<Path> keys, TlsAuthMode mode, Path trust) {
        for (int i = 0; i < certs.size(); i++) {
            Path cert = certs.get(i);
            TlsCertificate certificate = load(cert, keys.get(i));
            if (i == 0) {
                server.setTlsCertificate(certificate);
            }
            try {
                server.addTlsCertificate(certificate);
            } catch (IllegalArgumentException e) {
                // the default needs no name: it answers every client whose name matches nothing
                if (i > 0) {
                    throw new StartupException("--tls-cert " + cert + ": " + describe(e)
                            + " (only the first --tls-cert, the default, may lack one)");
                }
            }
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

    private static TlsCertificate load(Path cert, Path key) {
        requireReadable(cert, "--tls-cert");
        requireReadable(key, "--tls-key");
        try {
            return TlsCertificate.fromPemFiles(cert, key);
        } catch (Exception e) {
            throw new StartupException("cannot use the TLS certificate " + cert + " with the key " + key + ": "
                    + describe(e));
        }
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
