package dev.ladle.examples.guide.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway certificates for the guide's TLS tests, made by openssl in a temporary directory: a CA, a
 * server certificate for 127.0.0.1 and localhost (as certbot's {@code fullchain.pem} and
 * {@code privkey.pem}, and as {@code server.p12}), a client certificate for "Alice" signed by the CA
 * ({@code alice.p12}) and a self-signed one for "Mallory" ({@code mallory.p12}). The PKCS#12 password is
 * {@link #PASSWORD}.
 */
public record GuidePki(Path dir) {
    public static final char[] PASSWORD = "changeit".toCharArray();

    public static boolean opensslInstalled() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static GuidePki create(Path dir) throws IOException {
        GuidePki pki = new GuidePki(dir);
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=Guide Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        pki.issue("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("fullchain.pem"), Files.readString(dir.resolve("server.pem")) + Files.readString(dir.resolve("ca.pem")));
        Files.copy(dir.resolve("server.key"), dir.resolve("privkey.pem"));
        pki.pkcs12("server");
        pki.issue("alice", "/CN=Alice", "extendedKeyUsage=clientAuth\n");
        pki.pkcs12("alice");
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "mallory.key",
                "-out", "mallory.pem", "-days", "2", "-subj", "/CN=Mallory", "-addext", "extendedKeyUsage=clientAuth");
        pki.pkcs12("mallory");
        return pki;
    }

    private void issue(String name, String subject, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-subj", subject, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void pkcs12(String name) {
        openssl("pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:" + new String(PASSWORD));
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s\n%s", command, out).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts the CA and, when {@code clientP12} is not null, presents that certificate. */
    public SSLContext clientContext(String clientP12) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (clientP12 != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(clientP12))) {
                keys.load(in, PASSWORD);
            }
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
