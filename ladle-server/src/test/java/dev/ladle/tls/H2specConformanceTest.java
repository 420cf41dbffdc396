package dev.ladle.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.http.Status;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec, the HTTP/2 conformance suite, against a whole {@link Server} (preface detection, ALPN, the
 * pipeline, an early handler that refuses POST before reading its body) over h2c and over TLS, in
 * normal and strict mode. Skipped where no h2spec binary is found ({@code $H2SPEC}, then
 * {@code /usr/local/bin/h2spec}, then the PATH); {@code .ci/run} builds it when the steering
 * repository's {@code shared/tools/build-h2spec.sh} is at hand.
 */
class H2specConformanceTest {
    @TempDir
    static Path dir;
    static Server server;
    static int plainPort;
    static int tlsPort;

    @BeforeAll
    static void start() throws IOException {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        server = new Server();
        server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));
        server.addEarlyHandler("/", (s, msg, path, query) -> {
            if (!"GET".equals(msg.getMethod()) && !"HEAD".equals(msg.getMethod())) {
                // answered before the body arrives, as a file server does: the stream must still be policed
                msg.setStatus(Status.METHOD_NOT_ALLOWED);
            }
        });
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(Status.OK);
            msg.setResponse("text/plain", "h2spec conformance page\n".getBytes(UTF_8));
        });
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
        server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY, ListenOption.HTTPS));
        for (URI uri : server.getUris()) {
            if (uri.getScheme().equals("https")) {
                tlsPort = uri.getPort();
            } else {
                plainPort = uri.getPort();
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"h2c, false, false", "h2c strict, false, true", "TLS, true, false", "TLS strict, true, true"})
    void h2specPassesEveryCase(String name, boolean tls, boolean strict) throws Exception {
        Optional<Path> h2spec = findH2spec();
        assumeTrue(h2spec.isPresent(), "h2spec is not installed");
        List<String> command = new ArrayList<>(List.of(h2spec.get().toString(), "-h", "127.0.0.1", "-o", "5",
                "-p", Integer.toString(tls ? tlsPort : plainPort)));
        if (tls) {
            command.addAll(List.of("-t", "-k"));
        }
        if (strict) {
            command.add("-S");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String summary = output.lines().filter(l -> l.matches("\\d+ tests, \\d+ passed.*")).reduce((a, b) -> b).orElse("");
        assertThat(summary).as(output).matches("\\d+ tests, \\d+ passed, 0 skipped, 0 failed");
    }

    static Optional<Path> findH2spec() {
        String env = System.getenv("H2SPEC");
        Stream<Path> candidates = Stream.concat(
                Stream.of(env == null ? null : Path.of(env), Path.of("/usr/local/bin/h2spec")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(s -> !s.isEmpty()).map(s -> Path.of(s, "h2spec")));
        return candidates.filter(p -> p != null && Files.isExecutable(p)).findFirst();
    }
}
