package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs h2spec, the HTTP/2 conformance suite, against the engine (skipped when h2spec is not installed
 * at /usr/local/bin/h2spec or on the PATH). {@link #main} serves the fixture on a port for manual runs.
 */
class Http2SpecTest {
    private static final Path H2SPEC = Path.of("/usr/local/bin/h2spec");

    @Test
    void h2specPassesEveryCase() throws Exception {
        assertThat(runH2spec(false)).endsWith("0 failed");
    }

    @Test
    void h2specStrictModePassesEveryCase() throws Exception {
        assertThat(runH2spec(true)).endsWith("0 failed");
    }

    private static String runH2spec(boolean strict) throws Exception {
        assumeTrue(Files.isExecutable(H2SPEC), "h2spec not installed");
        try (Http2TestServer server = new Http2TestServer()) {
            List<String> cmd = new ArrayList<>(List.of(H2SPEC.toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(server.port()), "-o", "2",
                    // a body of 5+ bytes, or h2spec skips its negative-window case (6.9.2/2)
                    "-P", "/stream/64"));
            if (strict) {
                cmd.add("-S");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String summary = output.lines().filter(l -> l.matches("\\d+ tests, \\d+ passed.*")).findFirst()
                    .orElse(output);
            assertThat(summary).as(output).contains("tests");
            // "146 tests, 146 passed, 0 skipped, 0 failed"
            if (!summary.endsWith("0 failed") || summary.contains(" 1 skipped")) {
                System.out.println(output);
            }
            return summary;
        }
    }

    /** Serves the test fixture until killed: {@code h2spec -h 127.0.0.1 -p PORT -P /stream/64}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        try (Http2TestServer server = new Http2TestServer()) {
            System.out.println("listening on 127.0.0.1:" + server.port());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
