package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where ladle-httpd listens: the defaults, --port 0, --bind local|all|ADDRESS and --unix. */
class ListenFlagsIT {
    @TempDir
    Path dir;

    private void writeHello() throws IOException {
        Files.writeString(dir.resolve("hello.txt"), "hello");
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void withoutArgumentsItServesTheCurrentDirectoryOnLocalPort8080() throws Exception {
        assumeTrue(portIsFree(8080), "port 8080 is in use on this machine");
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.start(dir)) {
            assertThat(httpd.awaitStdoutLine()).isEqualTo("http://127.0.0.1:8080/");
            assertThat(Clients.get(URI.create("http://127.0.0.1:8080/"), "/hello.txt").body()).isEqualTo("hello");
        }
    }

    @Test
    void portZeroPicksAFreePortAndPrintsIt() throws Exception {
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--port", "0", "--bind", "127.0.0.1")) {
            assertThat(httpd.uri().getPort()).isPositive();
            assertThat(httpd.uri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
            assertThat(Clients.get(httpd.uri(), "/hello.txt").body()).isEqualTo("hello");
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void bindLocalListensOnBothLoopbackAddresses() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 2, "--port", "0", "--bind", "local")) {
            List<URI> uris = httpd.awaitUris(2);
            assertThat(uris.get(0).getHost()).isEqualTo("127.0.0.1");
            assertThat(InetAddress.getByName(uris.get(1).getHost()).isLoopbackAddress()).isTrue();
            assertThat(uris.get(1).getHost()).startsWith("[");
            for (URI uri : uris) {
                assertThat(Clients.get(uri, "/hello.txt").body()).as(uri.toString()).isEqualTo("hello");
            }
        }
    }

    @Test
    void bindAllListensOnEveryInterface() throws Exception {
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.start(dir, "--port", "0", "--bind", "all")) {
            URI first = URI.create(httpd.awaitStdoutLine());
            assertThat(InetAddress.getByName(first.getHost()).isAnyLocalAddress()).as(first.toString()).isTrue();
            URI viaLoopback = URI.create("http://127.0.0.1:" + first.getPort() + "/");
            assertThat(Clients.get(viaLoopback, "/hello.txt").body()).isEqualTo("hello");
        }
    }

    @Test
    void bindAnAddressListensOnlyThere() throws Exception {
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--port", "0", "--bind", "127.0.0.1")) {
            assertThat(httpd.uri().getHost()).isEqualTo("127.0.0.1");
            assertThat(Clients.get(httpd.uri(), "/hello.txt").body()).isEqualTo("hello");
            // another loopback address of the same machine: nothing listens there
            try (java.net.Socket socket = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                        new InetSocketAddress("127.0.0.2", httpd.uri().getPort()), 5000)).isInstanceOf(IOException.class);
            }
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(httpd.drainStdout().lines()).hasSize(1);
        }
    }

    @Test
    void bindAnIpv6AddressListensThere() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        writeHello();
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--port", "0", "--bind", "::1")) {
            assertThat(httpd.uri().getHost()).startsWith("[");
            assertThat(Clients.get(httpd.uri(), "/hello.txt").body()).isEqualTo("hello");
        }
    }

    @Test
    void unixServesOnTheSocketOnlyAndRemovesItOnExit() throws Exception {
        writeHello();
        Path socket = dir.resolve("httpd.sock");
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--unix", socket.toString())) {
            assertThat(httpd.uri().getScheme()).isEqualTo("http+unix");
            Clients.CurlResult result = Clients.curl("--unix-socket", socket.toString(), "http://localhost/hello.txt");
            assertThat(result.stdout()).as(result.stderr()).isEqualTo("hello");
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(httpd.drainStdout().lines()).hasSize(1);
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void unixWithAnExplicitPortAlsoListensOnTcp() throws Exception {
        writeHello();
        Path socket = dir.resolve("both.sock");
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 2, "--unix", socket.toString(), "--port", "0",
                "--bind", "127.0.0.1")) {
            List<URI> uris = httpd.awaitUris(2);
            assertThat(uris).extracting(URI::getScheme).containsExactly("http", "http+unix");
            assertThat(Clients.get(uris.get(0), "/hello.txt").body()).isEqualTo("hello");
            assertThat(Clients.curl("--unix-socket", socket.toString(), "http://localhost/hello.txt").stdout())
                    .isEqualTo("hello");
        }
    }

    @Test
    void aStaleUnixSocketFileIsReplaced() throws Exception {
        writeHello();
        Path socket = dir.resolve("stale.sock");
        try (java.nio.channels.ServerSocketChannel old = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            old.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (HttpdProcess httpd = HttpdProcess.serve(dir, 1, "--unix", socket.toString())) {
            assertThat(Clients.curl("--unix-socket", socket.toString(), "http://localhost/hello.txt").stdout())
                    .isEqualTo("hello");
        }
    }

    @Test
    void aUnixSocketInUseExits1() throws Exception {
        Path socket = dir.resolve("used.sock");
        try (HttpdProcess first = HttpdProcess.serve(dir, 1, "--unix", socket.toString())) {
            HttpdProcess.Result second = HttpdProcess.run(dir, "--unix", socket.toString());
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).contains("another server is listening");
            assertThat(Clients.curl("--unix-socket", socket.toString(), "-o", "/dev/null", "-w", "%{http_code}",
                    "http://localhost/").stdout()).isEqualTo("200");
        }
    }
}
