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
