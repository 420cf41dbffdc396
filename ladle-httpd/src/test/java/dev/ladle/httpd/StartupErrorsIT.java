package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --help}, {@code --version} and the error exits: usage errors exit 2 with the usage, start-up
 * problems exit 1 with one line naming the problem; never a stack trace.
 */
class StartupErrorsIT {
    @TempDir
    Path dir;

    private static void assertNoStackTrace(HttpdProcess.Result result) {
        assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static void assertOneLine(HttpdProcess.Result result, String... parts) {
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).startsWith("ladle-httpd: ").contains(parts);
        assertThat(result.stdout()).isEmpty();
        assertNoStackTrace(result);
    }

    @Test
    void helpPrintsTheUsageAndExits0() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("Usage: ladle-httpd").contains("--allow-put", "--tls-cert", "--ws-echo",
                "--access-log", "--max-body", "--unix", "--auth-path", "--no-http2", "--reuse-port", "--proxy-protocol",
                "--trusted-proxy", "--trusted-headers");
    }

    @Test
    void versionPrintsTheVersionAndExits0() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).matches("ladle-httpd \\d+\\.\\d+\\.\\d+\\S*\n");
    }

    @Test
    void anUnknownFlagPrintsTheUsageAndExits2() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Unknown option: '--bogus'").contains("Usage: ladle-httpd");
        assertThat(result.stdout()).isEmpty();
        assertNoStackTrace(result);
    }

    @ParameterizedTest(name = "{0} exits 2")
    @ValueSource(strings = {
        "--port=abc",
        "--port=70000",
        "--https-port=-1",
        "--max-body=12x",
        "--max-body=0",
        "--bind",
        "--client-cert=sometimes",
        "--auth=kerberos",
        "--echo=relative",
        "--ws-echo=/",
        "--tls-key=key.pem",
        "--https-port=8443",
        "--user=alice:secret",
        "--auth=basic",
        "--auth-path=/private",
        "--ws-origin=https://example.org",
        "--ws-protocol=chat",
        "--ws-max-message=1k",
        "--health=/",
        "--drain-grace=soon",
        "--nonce-key-file=nonce.key",
        "--trusted-proxy=proxy.example.org",
        "--trusted-headers=x-forwarded",
        "--hsts",
    })
    void aBadFlagValueOrCombinationExits2(String flag) throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, flag);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("ladle-httpd: ").contains("Usage: ladle-httpd");
        assertNoStackTrace(result);
    }

    @ParameterizedTest(name = "{0} {1} exits 2")
    @CsvSource({
        "--mock=.,                   --proxy-protocol,          --proxy-protocol is not supported with --mock",
        "--mock=.,                   --trusted-proxy=127.0.0.1, --trusted-proxy is not supported with --mock",
        "--unix=ladle.sock,          --proxy-protocol,          --proxy-protocol applies to TCP ports",
        "--trusted-proxy=127.0.0.1,  --trusted-headers=all,     --trusted-headers takes both, forwarded or x-forwarded",
        "--trusted-proxy=10.0.0.0/33, --access-log,             --trusted-proxy: bad prefix length in \"10.0.0.0/33\"",
    })
    void aBalancerFlagThatCannotApplyExits2SayingWhy(String first, String second, String message) throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, first, second);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("ladle-httpd: " + message).contains("Usage: ladle-httpd");
        assertNoStackTrace(result);
    }

    @Test
    void aMalformedUserExits2() throws Exception {
        HttpdProcess.Result result = HttpdProcess.run(dir, "--auth", "basic", "--user", "alice");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("NAME:PASSWORD");
    }

    @Test
    void aBusyPortExits1WithOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HttpdProcess.Result result = HttpdProcess.run(dir, "--bind", "127.0.0.1", "--port",
                    Integer.toString(busy.getLocalPort()));
            assertOneLine(result, "127.0.0.1:" + busy.getLocalPort());
        }
    }

    @Test
    void aMissingRootExits1WithOneLine() throws Exception {
        assertOneLine(HttpdProcess.run(dir, "--root", "no-such-dir", "--port", "0"), "root directory not found",
                "no-such-dir");
    }

    @Test
    void aRootThatIsAFileExits1WithOneLine() throws Exception {
        Files.writeString(dir.resolve("file.txt"), "x");
        assertOneLine(HttpdProcess.run(dir, "--root", "file.txt", "--port", "0"), "not a directory", "file.txt");
    }

    @Test
    void anUnknownBindAddressExits1WithOneLine() throws Exception {
        assertOneLine(HttpdProcess.run(dir, "--bind", "no-such-host.invalid", "--port", "0"), "no-such-host.invalid");
    }

    @Test
    void aUnixSocketPathThatIsAFileExits1WithOneLine() throws Exception {
        Files.writeString(dir.resolve("not-a-socket"), "x");
        assertOneLine(HttpdProcess.run(dir, "--unix", dir.resolve("not-a-socket").toString()), "not a socket");
    }
}
