package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.MessageBody;
import dev.ladle.server.EngineCounters;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request and response bodies over TLS: bodies of every size class echo byte-exact, with a length and
 * chunked; file bodies are read through the TLS engine (never by {@code sendfile}, which would bypass the
 * encryption) and arrive byte-exact, ranges included.
 */
class BodiesOverTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TlsCertificate serverCertificate;

    Server server;
    URI base;
    HttpClient client;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
        serverCertificate = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setTlsCertificate(serverCertificate);
        server.addHandler("/file", (s, msg, path, query) -> {
            FileChannel channel = FileChannel.open(dir.resolve(path.substring("/file/".length())));
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.getResponseBody().appendFile(channel, 0, channel.size());
            msg.setStatus(200);
        });
        server.addHandler("/shared", (s, msg, path, query) -> {
            MessageBody request = msg.getRequestBody();
            for (long at = 0; at < request.length(); ) {
                ByteBuffer chunk = request.getChunk(at);
                msg.getResponseBody().appendOwned(chunk);
                at += chunk.remaining();
            }
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.setStatus(200);
        });
        server.addHandler("/flat", (s, msg, path, query) -> {
            msg.setResponse("application/octet-stream", msg.getRequestBody().flatten());
            msg.setStatus(200);
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        client = HttpClient.newBuilder().sslContext(TlsClients.context(pki.caCert, null))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static byte[] write(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.write(dir.resolve(name), bytes);
        return bytes;
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void fileBodiesArriveByteExactOverTlsAndNeverBySendfile() throws Exception {
        for (int size : new int[] {0, 1, 1024, 16 * 1024, 1 << 20, 5 << 20}) {
            byte[] expected = write("f" + size, size);
            HttpResponse<byte[]> r = get("/file/f" + size);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as("%d bytes", size).isEqualTo(expected);
        }
        assertThat(EngineCounters.fileBytesTransferred(server)).isZero();
    }

    private HttpResponse<byte[]> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void bodiesOfEverySizeEchoByteExactOverTlsWithALengthAndChunked() throws Exception {
        int[] sizes = {0, 1, 4096, 8 * 1024, 16 * 1024, 64 * 1024, 256 * 1024, 256 * 1024 + 1, 1 << 20, 20 << 20};
        for (String path : new String[] {"/shared", "/flat"}) {
            for (int size : sizes) {
                byte[] body = new byte[size];
                new Random(size).nextBytes(body);
                assertThat(post(path, HttpRequest.BodyPublishers.ofByteArray(body)).body())
                        .as("%s %d bytes with a length", path, size).isEqualTo(body);
                // a publisher of unknown length makes the client send the body chunked
                assertThat(post(path, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).body())
                        .as("%s %d bytes chunked", path, size).isEqualTo(body);
            }
        }
    }

    @Test
    void aRangeOfAFileBodyOverTlsIsCutFromTheFile() throws Exception {
        byte[] expected = write("ranged", 1 << 20);
        HttpResponse<byte[]> r = get("/file/ranged", "Range", "bytes=1000-70999");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(expected, 1000, 71_000));
        assertThat(EngineCounters.fileBytesTransferred(server)).isZero();
    }
}
