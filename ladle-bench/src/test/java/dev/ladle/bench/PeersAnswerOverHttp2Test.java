package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.bench.load.Http2Connection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every server that says it speaks HTTP/2 answers the shared endpoints over h2c with prior knowledge
 * (the benchmark's own frame-level client, as the idle row uses it) and over h2 chosen by ALPN (the
 * JDK's client); the others are skipped. run.sh's HTTP/2 rows compare like with like only while this holds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeersAnswerOverHttp2Test {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static HttpClient client;

    static Iterable<String> servers() {
        return Main.SERVERS.keySet().stream().sorted().toList();
    }

    @BeforeAll
    static void makeKeyAndClient() throws Exception {
        keyStore = dir.resolve("bench.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore trusted = TlsMaterial.load(keyStore, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void plaintextAndBytes16kAnswerOverH2cWithPriorKnowledge(String name) throws Exception {
        try (BenchServer server = Main.start(name, ServerOptions.plain(0))) {
            assumeTrue(server.hasHttp2(), name + " has no HTTP/2");
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(Endpoints.HOST, server.port()), 5_000);
            socket.setSoTimeout(10_000);
            try (Http2Connection h2c = new Http2Connection(socket, Endpoints.HOST + ":" + server.port())) {
                assertThat(h2c.get(Endpoints.PLAINTEXT)).isEqualTo(new Http2Connection.Answer(200, 13));
                assertThat(h2c.get(Endpoints.BYTES_16K)).isEqualTo(new Http2Connection.Answer(200, 16 * 1024));
                // five more 16 KiB answers than the default connection window holds without updates
                for (int i = 0; i < 5; i++) {
                    assertThat(h2c.get(Endpoints.BYTES_16K)).isEqualTo(new Http2Connection.Answer(200, 16 * 1024));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void plaintextAndBytes16kAnswerOverH2ChosenByAlpn(String name) throws Exception {
        try (BenchServer server = Main.start(name, new ServerOptions(0, keyStore, PASSWORD))) {
            assumeTrue(server.hasHttp2(), name + " has no HTTP/2");
            String base = "https://" + Endpoints.HOST + ":" + server.port();
            HttpResponse<String> plaintext = client.send(HttpRequest.newBuilder(URI.create(base + Endpoints.PLAINTEXT)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plaintext.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(plaintext.statusCode()).isEqualTo(200);
            assertThat(plaintext.body()).isEqualTo("Hello, World!");
            HttpResponse<byte[]> bytes = client.send(HttpRequest.newBuilder(URI.create(base + Endpoints.BYTES_16K)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(bytes.body()).isEqualTo(Endpoints.bytes16k());
        }
    }
}
