package dev.ladle.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How https listeners check whether a client certificate was revoked: certificate revocation lists read
 * from files, OCSP (RFC 6960), or both. Immutable and thread-safe; give one to
 * {@code Server.setTlsRevocation}. It applies only when client certificates are asked for
 * ({@code TlsAuthMode.REQUESTED} or {@code REQUIRED}) and only to chains that otherwise verify against
 * the trust database.
 *
 * <p>Every certificate of the client's chain below the trust anchor is checked, with the JDK's PKIX
 * {@code PKIXRevocationChecker} configured for this instance alone: Ladle sets no JVM-wide security
 * property ({@code ocsp.enable}, {@code com.sun.security.enableCRLDP}), and CRL distribution points
 * named in certificates are not fetched (unless the application itself sets
 * {@code com.sun.security.enableCRLDP}). With OCSP and CRL files both set, the OCSP responder is asked
 * first and the CRLs answer when it cannot.
 *
 * <ul>
 *   <li>A revoked certificate makes the chain {@link TlsCertificateFlag#REVOKED}: {@code REQUIRED}
 *       refuses the handshake, {@code REQUESTED} serves the client with the flag on its messages. The
 *       reason and date are on {@code ServerMessage.getTlsPeerCertificateRevocation()}.</li>
 *   <li>A status that cannot be determined (the responder is down or answers "unknown", no CRL of the
 *       issuer is loaded, or the loaded one is past its next-update time) is an error under
 *       <em>hard-fail</em>, the default: the chain gets {@link TlsCertificateFlag#GENERIC_ERROR}. The
 *       operator asked for revocation checking, so a check that could not be done does not pass
 *       silently; nginx, Apache httpd and OpenSSL's own verifier refuse such a chain too. Under
 *       <em>soft-fail</em> it is no error, but the status still says {@code UNDETERMINED}.</li>
 * </ul>
 *
 * <p>CRL files are read when {@link Builder#crlFile} is called, never again. To load newer CRLs, set
 * a new instance on the server, for example {@code server.setTlsRevocation(server.getTlsRevocation().reload())};
 * connections accepted afterwards use it (they also start new TLS sessions, so no client resumes a
 * session verified under the old lists).
 *
 * <p>An OCSP query is made for every certificate of a chain at every full handshake and every resumed
 * one (a resumed session of a certificate revoked since is decided again, as a new handshake would
 * be); there is no cache. A responder that does not answer holds the handshake's thread until the JDK's
 * OCSP timeout (the {@code com.sun.security.ocsp.timeout} system property, 15 seconds by default), by
 * when the server's TLS handshake timeout has usually closed the connection.
 */
public final class TlsRevocation {
    /** No revocation checking: the default. */
    public static final TlsRevocation NONE = new TlsRevocation(List.of(), List.of(), false, null, false);

    private final List<Path> crlFiles;
    private final List<X509CRL> crls;
    private final boolean ocsp;
    private final URI ocspResponder;
    private final boolean softFail;

    private TlsRevocation(List<Path> crlFiles, List<X509CRL> crls, boolean ocsp, URI ocspResponder, boolean softFail) {
        this.crlFiles = List.copyOf(crlFiles);
        this.crls = List.copyOf(crls);
        this.ocsp = ocsp;
        this.ocspResponder = ocspResponder;
        this.softFail = softFail;
    }

    /** Returns a builder: no CRL, OCSP off, hard-fail. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks client certificates against the CRLs in {@code files} (PEM or DER), hard-fail.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when a file holds no readable CRL, or no file is given
     */
    public static TlsRevocation fromCrlFiles(Path... files) throws IOException {
        if (files.length == 0) {
            throw new IllegalArgumentException("no CRL file given");
        }
        Builder builder = builder();
        for (Path file : files) {
            builder.crlFile(file);
        }
        return builder.build();
    }

    /** Checks client certificates with OCSP, asking the responder each certificate names (its AIA extension), hard-fail. */
    public static TlsRevocation ocsp() {
        return builder().ocsp(true).build();
    }

    /** Returns true unless this is {@link #NONE}. */
    public boolean isEnabled() {
        return ocsp || !crls.isEmpty();
    }

    /** Returns the CRL files, in the order given; empty when none. */
    public List<Path> getCrlFiles() {
        return crlFiles;
    }

    /** Returns the CRLs read from {@link #getCrlFiles()}; empty when none. */
    public List<X509CRL> getCrls() {
        return crls;
    }

    /** Returns true when OCSP responders are asked. */
    public boolean isOcspEnabled() {
        return ocsp;
    }

    /** Returns the OCSP responder asked for every certificate, or null to ask the one each certificate names. */
    public URI getOcspResponder() {
        return ocspResponder;
    }

    /** Returns true when a status that cannot be determined is accepted (soft-fail); false for hard-fail. */
    public boolean isSoftFail() {
        return softFail;
    }

    /**
     * Returns the same settings with the CRL files read again, to be set on the server in place of this.
     * {@link #NONE} and OCSP-only settings return themselves.
     *
     * @throws IOException when a file cannot be read any more
     * @throws IllegalArgumentException when a file no longer holds a readable CRL
     */
    public TlsRevocation reload() throws IOException {
        if (crlFiles.isEmpty()) {
            return this;
        }
        Builder builder = builder().ocsp(ocsp).softFail(softFail);
        if (ocspResponder != null) {
            builder.ocspResponder(ocspResponder);
        }
        for (Path file : crlFiles) {
            builder.crlFile(file);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        if (!isEnabled()) {
            return "TlsRevocation[NONE]";
        }
        return "TlsRevocation[crls=" + crlFiles + ", ocsp=" + (ocsp ? ocspResponder != null ? ocspResponder : "AIA" : "off")
                + ", " + (softFail ? "soft-fail" : "hard-fail") + "]";
    }

    /** Collects revocation settings; not thread-safe. */
    public static final class Builder {
        private final List<Path> crlFiles = new ArrayList<>();
        private final List<X509CRL> crls = new ArrayList<>();
        private boolean ocsp;
        private URI ocspResponder;
        private boolean softFail;

        private Builder() {
        }

        /**
         * Reads the CRLs of {@code file} now: DER, or PEM with one or more {@code BEGIN X509 CRL} blocks.
         * CRLs of several issuers may be given in several files or one.
         *
         * @throws IOException when the file cannot be read
         * @throws IllegalArgumentException when it holds no readable CRL; the message names the file
         */
        public Builder crlFile(Path file) throws IOException {
            Objects.requireNonNull(file, "file");
            crls.addAll(readCrls(file));
            crlFiles.add(file);
            return this;
        }

        /** Turns OCSP on or off (off by default). */
        public Builder ocsp(boolean enabled) {
            this.ocsp = enabled;
            if (!enabled) {
                ocspResponder = null;
            }
            return this;
        }

        /**
         * Turns OCSP on and asks {@code responder} about every certificate, whatever responder the
         * certificate names.
         *
         * @throws IllegalArgumentException unless it is an absolute http or https URI with a host
         */
        public Builder ocspResponder(URI responder) {
            Objects.requireNonNull(responder, "responder");
            String scheme = responder.getScheme() == null ? "" : responder.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || responder.getHost() == null) {
                throw new IllegalArgumentException("OCSP responder must be an http or https URI with a host: " + responder);
            }
            this.ocsp = true;
            this.ocspResponder = responder;
            return this;
        }

        /** Chooses soft-fail (true: an undetermined status is no error) or hard-fail (false, the default). */
        public Builder softFail(boolean soft) {
            this.softFail = soft;
            return this;
        }

        /**
         * Returns the settings.
         *
         * @throws IllegalStateException when neither a CRL file nor OCSP was given (use {@link #NONE} for no checking)
         */
        public TlsRevocation build() {
            if (crls.isEmpty() && !ocsp) {
                throw new IllegalStateException("revocation checking needs a CRL file or OCSP; use TlsRevocation.NONE for none");
            }
            return new TlsRevocation(crlFiles, crls, ocsp, ocspResponder, softFail);
        }
    }

    private static List<X509CRL> readCrls(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        List<byte[]> encodings = new ArrayList<>();
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            for (Pem.Block block : blocks) {
                if (block.label().equals("X509 CRL")) {
                    encodings.add(block.der());
                }
            }
            if (encodings.isEmpty()) {
                throw new IllegalArgumentException(file + ": no CRL found (expected a BEGIN X509 CRL block)");
            }
        } else {
            encodings.add(content);
        }
        List<X509CRL> crls = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : encodings) {
                if (!(factory.generateCRL(new ByteArrayInputStream(der)) instanceof X509CRL crl)) {
                    throw new IllegalArgumentException(file + ": no CRL found");
                }
                crls.add(crl);
            }
        } catch (CRLException | CertificateException e) {
            throw new IllegalArgumentException(file + ": unreadable CRL: " + e.getMessage(), e);
        }
        return crls;
    }
}
