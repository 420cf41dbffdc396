package dev.ladle.tls;

import static dev.ladle.tls.TestPki.openssl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A CA with revoked certificates and CRLs, made at test time with {@code openssl ca} from a minimal
 * config and {@code index.txt} in a temporary directory:
 *
 * <pre>
 * Root CA ── server (127.0.0.1, localhost)
 *         ├─ Alice (good)          Mallory (revoked: keyCompromise)
 *         └─ Sub CA ── Carol (good)   Dave (revoked: superseded)
 * </pre>
 *
 * CRLs: {@link #rootCrl} lists Mallory, {@link #rootCrlBefore} was made before Mallory was revoked,
 * {@link #expiredRootCrl} lists Mallory but its next update is past, {@link #subCrl} lists Dave. The
 * root's {@code index.txt} also feeds {@code openssl ocsp} (see {@link OcspResponder}).
 */
final class RevocationPki {
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    final Path dir;
    final Path config;
    final Path rootIndex;
    final Path caCert;
    final Path caKey;
    final Path serverCert;
    final Path serverKey;
    final Path subCaCert;
    final Path subCaKey;
    /** The key of every client certificate. */
    final Path clientKey;
    final Path alice;
    final Path mallory;
    /** Carol's certificate followed by the sub CA's. */
    final Path carolChain;
    /** Dave's certificate followed by the sub CA's. */
    final Path daveChain;
    final Path rootCrl;
    final Path rootCrlBefore;
    final Path expiredRootCrl;
    final Path subCrl;

    private RevocationPki(Path dir) {
        this.dir = dir;
        config = dir.resolve("ca.cnf");
        rootIndex = dir.resolve("root-index.txt");
        caCert = dir.resolve("ca.crt");
        caKey = dir.resolve("ca.key");
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        subCaCert = dir.resolve("sub-ca.crt");
        subCaKey = dir.resolve("sub-ca.key");
        clientKey = dir.resolve("client.key");
        alice = dir.resolve("alice.crt");
        mallory = dir.resolve("mallory.crt");
        carolChain = dir.resolve("carol-chain.crt");
        daveChain = dir.resolve("dave-chain.crt");
        rootCrl = dir.resolve("root.crl");
        rootCrlBefore = dir.resolve("root-before.crl");
        expiredRootCrl = dir.resolve("root-expired.crl");
        subCrl = dir.resolve("sub.crl");
    }

    /** Creates the whole set in {@code dir}. */
    static RevocationPki create(Path dir) throws IOException {
        RevocationPki pki = new RevocationPki(dir);
        pki.init();
        return pki;
    }

    private void init() throws IOException {
        Files.createDirectories(dir.resolve("issued"));
        Files.writeString(rootIndex, "");
        Files.writeString(dir.resolve("sub-index.txt"), "");
        Files.writeString(config, """
                [root]
                database = %1$s/root-index.txt
                new_certs_dir = %1$s/issued
                certificate = %1$s/ca.crt
                private_key = %1$s/ca.key
                rand_serial = yes
                default_md = sha256
                default_crl_days = 1
                policy = any
                unique_subject = no
                [sub]
                database = %1$s/sub-index.txt
                new_certs_dir = %1$s/issued
                certificate = %1$s/sub-ca.crt
                private_key = %1$s/sub-ca.key
                rand_serial = yes
                default_md = sha256
                default_crl_days = 1
                policy = any
                unique_subject = no
                [any]
                commonName = supplied
                [sub_ca]
                basicConstraints = critical, CA:TRUE, pathlen:0
                keyUsage = critical, keyCertSign, cRLSign
                [client]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = clientAuth
                [server]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = IP:127.0.0.1, DNS:localhost
                """.formatted(dir));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "30", "-subj", "/CN=Revocation Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        ecKey(serverKey);
        issue("root", serverKey, "/CN=localhost", "server", null, serverCert);
        ecKey(clientKey);
        issue("root", clientKey, "/CN=Alice", "client", null, alice);
        issue("root", clientKey, "/CN=Mallory", "client", null, mallory);
        ecKey(subCaKey);
        issue("root", subCaKey, "/CN=Revocation Test Sub CA", "sub_ca", null, subCaCert);
        Path carol = dir.resolve("carol.crt");
        Path dave = dir.resolve("dave.crt");
        issue("sub", clientKey, "/CN=Carol", "client", null, carol);
        issue("sub", clientKey, "/CN=Dave", "client", null, dave);
        Files.writeString(carolChain, Files.readString(carol) + Files.readString(subCaCert));
        Files.writeString(daveChain, Files.readString(dave) + Files.readString(subCaCert));

        crl("root", rootCrlBefore);
        revoke("root", mallory, "keyCompromise");
        crl("root", rootCrl);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        openssl("ca", "-config", config.toString(), "-name", "root", "-gencrl", "-out", expiredRootCrl.toString(),
                "-crl_lastupdate", OPENSSL_TIME.format(now.minusDays(2)), "-crl_nextupdate", OPENSSL_TIME.format(now.minusDays(1)));
        revoke("sub", dave, "superseded");
        crl("sub", subCrl);
    }

    /** Writes a new PKCS#8 P-256 key. */
    void ecKey(Path key) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    }

    /**
     * Issues a certificate for {@code key} from the CA section {@code ca} ({@code root} or {@code sub}) with
     * the extensions {@code profile} of the config, or of {@code extensionFile} when not null; valid from a
     * day ago for 30 days.
     */
    void issue(String ca, Path key, String subject, String profile, Path extensionFile, Path out) {
        Path csr = dir.resolve(out.getFileName() + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        var command = new java.util.ArrayList<>(java.util.List.of("ca", "-batch", "-notext", "-config", config.toString(),
                "-name", ca, "-in", csr.toString(), "-out", out.toString(), "-extensions", profile,
                "-startdate", OPENSSL_TIME.format(now.minus(Duration.ofDays(1))),
                "-enddate", OPENSSL_TIME.format(now.plus(Duration.ofDays(30)))));
        if (extensionFile != null) {
            command.addAll(java.util.List.of("-extfile", extensionFile.toString()));
        }
        openssl(command.toArray(new String[0]));
    }

    /** Marks {@code certificate} revoked in the {@code ca}'s index, with {@code reason} ({@code keyCompromise}...). */
    void revoke(String ca, Path certificate, String reason) {
        openssl("ca", "-config", config.toString(), "-name", ca, "-revoke", certificate.toString(), "-crl_reason", reason);
    }

    /** Writes the {@code ca}'s current CRL (next update in a day). */
    void crl(String ca, Path out) {
        openssl("ca", "-config", config.toString(), "-name", ca, "-gencrl", "-out", out.toString());
    }

    /** Returns the client certificate in {@code chainFile} with the client key. */
    TlsCertificate client(Path chainFile) throws IOException {
        return TlsCertificate.fromPemFiles(chainFile, clientKey);
    }
}
