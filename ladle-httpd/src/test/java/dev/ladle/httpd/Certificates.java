package dev.ladle.httpd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made with the {@code openssl} command line: a CA, a server certificate for
 * {@code localhost} and {@code 127.0.0.1} signed by it, and a client certificate signed by it; all PEM.
 */
final class Certificates {
    final Path caCert;
    final Path caKey;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;

    private Certificates(Path dir) {
        this.caCert = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
        this.clientCert = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client.key");
    }

    /** Creates the certificates in {@code dir}. */
    static Certificates create(Path dir) throws IOException, InterruptedException {
        Certificates c = new Certificates(dir);
        Path caKey = c.caKey;
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", c.caCert.toString(), "-days", "2", "-subj", "/CN=Ladle test CA");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue(dir, caKey, c.caCert, c.serverKey, c.serverCert, "/CN=localhost", ext);
        Path clientExt = dir.resolve("client.ext");
        Files.writeString(clientExt, "extendedKeyUsage=clientAuth\n");
        issue(dir, caKey, c.caCert, c.clientKey, c.clientCert, "/CN=alice", clientExt);
        return c;
    }

    /**
     * Issues another server certificate signed by the CA, with a new P-256 key, into {@code dir}:
     * {@code <file>.pem} and {@code <file>.key}, returned in that order.
     *
     * @param subjectAltName as openssl writes it, such as {@code DNS:a.example.com,IP:127.0.0.1}
     */
    Path[] issueServer(Path dir, String file, String commonName, String subjectAltName) throws IOException, InterruptedException {
        Path ext = dir.resolve(file + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n");
        Path key = dir.resolve(file + ".key");
        Path cert = dir.resolve(file + ".pem");
        issue(dir, caKey, caCert, key, cert, "/CN=" + commonName, ext);
        return new Path[] {cert, key};
    }

    private static void issue(Path dir, Path caKey, Path caCert, Path key, Path cert, String subject, Path ext)
            throws IOException, InterruptedException {
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", subject);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }

    /** Returns a client SSL context that trusts the test CA. */
    SSLContext trustingClientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("ca", ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
