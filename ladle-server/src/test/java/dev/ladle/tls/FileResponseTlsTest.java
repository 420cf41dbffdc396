package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.files.StaticFiles;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files over TLS, where {@code sendfile} cannot be used and the file is read in pieces through the TLS
 * engine: {@code setResponseFile} (through {@link StaticFiles}) byte-exact over h2 and HTTP/1.1 with the
 * JDK client, whole and ranged.
 */
class FileResponseTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static byte[] big;

    Server server;
    URI uri;

    @BeforeAll
    static void createPkiAndFile() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        big = new byte[(4 << 20) + 123];
        new Random(5).nextBytes(big);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www/big.bin"), big);
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));
        server.addHandler("/", new StaticFiles(dir.resolve("www")));
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        uri = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpClient client(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder().version(version).sslContext(TlsClients.context(pki.caCert, null))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @ParameterizedTest
    @EnumSource(names = {"HTTP_1_1", "HTTP_2"})
    void aLargeFileArrivesByteExact(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> r = client(version).send(HttpRequest.newBuilder(uri.resolve("/big.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(Arrays.equals(r.body(), big)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"HTTP_1_1", "HTTP_2"})
    void aRangeIsCutFromTheFile(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> r = client(version).send(HttpRequest.newBuilder(uri.resolve("/big.bin"))
                .header("Range", "bytes=1000000-2999999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1000000-2999999/" + big.length);
        assertThat(Arrays.equals(r.body(), Arrays.copyOfRange(big, 1_000_000, 3_000_000))).isTrue();
    }
}
