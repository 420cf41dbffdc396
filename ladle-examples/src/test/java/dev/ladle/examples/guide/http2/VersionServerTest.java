package dev.ladle.examples.guide.http2;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.examples.guide.tls.GuidePki;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.tls.TlsCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which client gets which protocol from the HTTP/2 chapter's server, and what the switches change. */
class VersionServerTest {
    @TempDir
    Path dir;

    private Server server;

    @BeforeEach
    void start() {
        server = VersionServer.create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI plain() throws IOException {
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        return server.getUris().get(0).resolve("/version");
    }

    private URI secure() throws IOException {
        assumeTrue(GuidePki.opensslInstalled(), "openssl makes the test certificate");
        GuidePki.create(dir);
        server.setTlsCertificate(TlsCertificate.fromPemFiles(dir.resolve("fullchain.pem"), dir.resolve("privkey.pem")));
        server.listenLocal(0, Set.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        return server.getUris().get(0).resolve("/version");
    }

    private HttpResponse<String> jdkGet(URI uri) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2);
        if (uri.getScheme().equals("https")) {
            builder.sslContext(new GuidePki(dir).clientContext(null));
        }
        try (HttpClient client = builder.build()) {
            return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
        }
    }

    @Test
    void theJdkClientGetsH2OverTls() throws Exception {
        HttpResponse<String> response = jdkGet(secure());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("HTTP/2\n");
    }

    @Test
    void theJdkClientOnPlainHttpAsksForAnUpgradeAndIsServedHttp11() throws Exception {
        HttpResponse<String> response = jdkGet(plain());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("HTTP/1.1\n");
    }

    @Test
    void curlWithPriorKnowledgeSpeaksH2c() throws Exception {
        URI uri = plain();
        assertThat(run("curl", "-s", "--http2-prior-knowledge", uri.toString())).isEqualTo("HTTP/2\n");
        assertThat(run("curl", "-s", "--http2", uri.toString())).as("curl's Upgrade: h2c").isEqualTo("HTTP/1.1\n");
    }

    @Test
    void nghttpSpeaksH2cAndSeesTheLimitsAsSettings() throws Exception {
        VersionServer.smallerHttp2Limits(server);
        String out = run("nghttp", "-nv", plain().toString());
        assertThat(out).contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):50", "SETTINGS_INITIAL_WINDOW_SIZE(0x04):262144",
                "SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536", ":status: 200");
        assertThat(out).as("extended CONNECT for WebSockets, RFC 8441").contains("(0x08):1");
    }

    @Test
    void theSwitchesLeaveHttp11OnBothKindsOfListener() throws Exception {
        VersionServer.http1Only(server);
        URI secure = secure();
        HttpResponse<String> response = jdkGet(secure);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo("HTTP/1.1\n");
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        URI plain = server.getUris().stream().filter(u -> u.getScheme().equals("http")).findFirst().orElseThrow().resolve("/version");
        // the plain listener answers HTTP/1.1, so the prior-knowledge request below reached a working server
        assertThat(run("curl", "-s", plain.toString())).isEqualTo("HTTP/1.1\n");
        assertThat(run("curl", "-s", "--http2-prior-knowledge", plain.toString())).doesNotContain("HTTP/2");
    }

    private static String run(String... command) throws Exception {
        assumeTrue(onPath(command[0]), command[0] + " is not installed");
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
