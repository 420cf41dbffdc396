package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsRevocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --tls-cert}, {@code --tls-key}, {@code --client-cert}, {@code --trust} and the revocation
 * flags: loads the files into the server's TLS settings, turning any failure into one line that names
 * the file.
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

    /**
     * Sets how client certificates are checked for revocation ({@code --crl}, {@code --ocsp},
     * {@code --ocsp-responder}, {@code --revocation-soft-fail}); nothing when neither CRLs nor OCSP are asked for.
     *
     * @param responder the OCSP responder to ask about every certificate, or null
     * @throws StartupException when a CRL file is missing or holds no readable CRL, or the responder is not http(s)
     */
    static void configureRevocation(Server server, List<Path> crls, boolean ocsp, URI responder, boolean softFail) {
        if (crls.isEmpty() && !ocsp && responder == null) {
            return;
        }
        TlsRevocation.Builder revocation = TlsRevocation.builder().ocsp(ocsp).softFail(softFail);
        if (responder != null) {
            try {
                revocation.ocspResponder(responder);
            } catch (IllegalArgumentException e) {
                throw new StartupException("--ocsp-responder: " + describe(e));
            }
        }
        for (Path crl : crls) {
            requireReadable(crl, "--crl");
            try {
                revocation.crlFile(crl);
            } catch (Exception e) {
                throw new StartupException("cannot use the CRL file " + crl + ": " + describe(e));
            }
        }
        server.setTlsRevocation(revocation.build());
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
