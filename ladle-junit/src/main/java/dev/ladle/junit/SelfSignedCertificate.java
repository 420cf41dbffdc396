package dev.ladle.junit;

import dev.ladle.tls.TlsCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The certificate {@link MockServer.Builder#https()} serves: a self-signed EC P-256 certificate for
 * {@code 127.0.0.1} and {@code localhost}, made once per JVM with the JDK's own {@code keytool} (the JDK
 * has no public API that signs certificates, and the core must not depend on a crypto library).
 */
final class SelfSignedCertificate {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static TlsCertificate made;

    private SelfSignedCertificate() {
    }

    /** Returns the JVM's mock certificate, making it on first use (about a second). */
    static TlsCertificate get() {
        LOCK.lock();
        try {
            if (made == null) {
                made = make();
            }
            return made;
        } finally {
            LOCK.unlock();
        }
    }

    private static TlsCertificate make() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ladle-junit-tls");
            Path store = dir.resolve("mock.p12");
            char[] password = "ladle-junit".toCharArray();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "mock",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30",
                    "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(password), "-keypass", new String(password))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make the mock server's certificate: " + output.strip());
            }
            return TlsCertificate.fromPkcs12(store, password);
        } catch (IOException e) {
            throw new IllegalStateException("could not make the mock server's certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the mock server's certificate", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
