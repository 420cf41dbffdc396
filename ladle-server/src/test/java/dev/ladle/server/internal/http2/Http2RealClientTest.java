package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real HTTP/2 clients against the engine: curl (with nghttp2) and nghttp, prior knowledge (h2c). */
class Http2RealClientTest {

    private static String run(List<String> command, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void assumeInstalled(String path) {
        assumeTrue(Files.isExecutable(Path.of(path)), path + " not installed");
    }

    @Test
    void curlGetsAResponse() throws Exception {
        assumeInstalled("/usr/bin/curl");
        try (Http2TestServer s = new Http2TestServer()) {
            String out = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-w", " %{http_version} %{http_code}",
                    "http://127.0.0.1:" + s.port() + "/"), null);
            assertThat(out).isEqualTo("ok 2 200");
        }
    }

    @Test
    void curlPostIsEchoed() throws Exception {
        assumeInstalled("/usr/bin/curl");
        byte[] body = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        try (Http2TestServer s = new Http2TestServer()) {
            String out = run(List.of("curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@-",
                    "http://127.0.0.1:" + s.port() + "/echo"), body);
            assertThat(out).hasSize(body.length).isEqualTo(new String(body, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void curlDownloadsALargeResponse() throws Exception {
        assumeInstalled("/usr/bin/curl");
        try (Http2TestServer s = new Http2TestServer()) {
            String out = run(List.of("curl", "-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w",
                    "%{size_download}", "http://127.0.0.1:" + s.port() + "/stream/5000000"), null);
            assertThat(out).isEqualTo("5000000");
        }
    }

    @Test
    void nghttpGetsConcurrentResponses() throws Exception {
        assumeInstalled("/usr/bin/nghttp");
        try (Http2TestServer s = new Http2TestServer()) {
            String base = "http://127.0.0.1:" + s.port();
            String out = run(List.of("nghttp", "-n", "-s", base + "/", base + "/stream/100000", base + "/stream/7"), null);
            assertThat(out).contains("/stream/100000").contains("/stream/7");
            assertThat(s.started.get()).isEqualTo(3);
        }
    }

    @Test
    void nghttpUploadsABody() throws Exception {
        assumeInstalled("/usr/bin/nghttp");
        Path data = Files.createTempFile("h2", ".bin");
        try (Http2TestServer s = new Http2TestServer()) {
            Files.write(data, new byte[3_000_000]);
            String out = run(List.of("nghttp", "-d", data.toString(), "http://127.0.0.1:" + s.port() + "/echo"), null);
            assertThat(out).hasSize(3_000_000);
        } finally {
            Files.delete(data);
        }
    }
}
