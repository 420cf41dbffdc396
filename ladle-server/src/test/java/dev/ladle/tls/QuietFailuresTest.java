package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad TLS input ends connections quietly: in a server running in its own JVM with the default logging
 * set-up, none of it writes a line (let alone a stack trace) to standard error.
 */
class QuietFailuresTest {
    @TempDir
    static Path dir;

    @Test
    void badTlsInputWritesNothingToStandardError() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QuietHttpsServerMain.class.getName(), pki.serverChain.toString(), pki.serverKey.toString(), pki.caCert.toString())
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String[] ports = out.readLine().split(" ");
            assertThat(out.readLine()).isEqualTo("ready");
            int https = Integer.parseInt(ports[0]);
            int plain = Integer.parseInt(ports[1]);

            plainHttpOnTheHttpsPort(https);
            stallUntilCut(https);
            SSLContext noCertificate = TlsClients.context(pki.caCert, null);
            assertThatThrownBy(() -> TlsClients.fetch(noCertificate, https)).isInstanceOf(IOException.class);
            SSLContext stranger = TlsClients.context(pki.caCert, TlsCertificate.fromPemFiles(pki.strangerCert, pki.strangerKey));
            assertThatThrownBy(() -> TlsClients.fetch(stranger, https)).isInstanceOf(IOException.class);
            tlsOnThePlainPort(plain);
            SSLContext alice = TlsClients.context(pki.caCert, TlsCertificate.fromPemFiles(pki.clientCert, pki.clientKey));
            assertThat(TlsClients.fetch(alice, https)).isEqualTo("ok");

            child.getOutputStream().close();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(stderr)).isEmpty();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void plainHttpOnTheHttpsPort(int port) throws IOException {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            drain(raw);
        }
    }

    private static void stallUntilCut(int port) throws IOException {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            drain(raw);
        }
    }

    private static void tlsOnThePlainPort(int port) throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(TlsClients.clientHello());
            assertThat(new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
        }
    }

    /** Reads until the server closes the connection. */
    private static void drain(Socket socket) throws IOException {
        try {
            socket.getInputStream().readAllBytes();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server left the connection open", e);
        } catch (IOException e) {
            // a reset is a close too
        }
    }
}
