package dev.ladle.examples.guide.sockets;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.server.Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sockets chapter: one address, IPv4 only, a Unix-domain socket, and a socket inherited as standard input. */
class SocketServerTest {
    @TempDir
    Path dir;

    private Server server;

    @BeforeEach
    void create() {
        server = SocketServer.create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body();
        }
    }

    @Test
    void oneAddressListensThereOnly() throws Exception {
        SocketServer.onOneAddress(server, 0);
        assertThat(server.getUris()).hasSize(1);
        assertThat(get(server.getUris().get(0).resolve("/where"))).startsWith("on /127.0.0.1:");
    }

    @Test
    void ipv4OnlyLeavesOutTheIpv6Loopback() throws Exception {
        SocketServer.localIpv4Only(server, 0);
        assertThat(server.getUris()).singleElement().extracting(URI::getHost).isEqualTo("127.0.0.1");
    }

    @Test
    void aUnixSocketServesTheJdkSocketChannelAndCurl() throws Exception {
        Path socket = dir.resolve("ladle.sock");
        Files.writeString(socket, "left over");
        SocketServer.onUnixSocket(server, socket);
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("GET /where HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(US_ASCII)));
            String response = new String(readAll(channel), UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200 OK").contains("\r\n\r\non ");
        }
        assumeTrue(onPath("curl"), "curl is not installed");
        Process curl = new ProcessBuilder("curl", "-s", "--unix-socket", socket.toString(), "http://localhost/where").start();
        String out = new String(curl.getInputStream().readAllBytes(), UTF_8);
        assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("on ");
    }

    private static byte[] readAll(SocketChannel channel) throws Exception {
        return java.nio.channels.Channels.newInputStream(channel).readAllBytes();
    }

    @Test
    void theSystemdUnitsHandTheListeningSocketAsStandardInputToThisClass() throws Exception {
        String socketUnit = Files.readString(Path.of("src/main/resources/guide/sockets/ladle-demo.socket"));
        String serviceUnit = Files.readString(Path.of("src/main/resources/guide/sockets/ladle-demo.service"));
        assertThat(socketUnit).contains("[Socket]", "ListenStream=8080", "Accept=no");
        assertThat(serviceUnit).contains("StandardInput=socket", "ExecStart=", SocketServer.class.getName());
    }

    @Test
    void mainServesTheListeningSocketItInheritsAsStandardInputAfterReturningAndStopsOnSigterm() throws Exception {
        assumeTrue(onPath("python3"), "python3 stands in for systemd");
        // what systemd does for StandardInput=socket: bind, listen, start the service with the socket as fd 0
        String script = String.join("\n",
                "import socket, subprocess, sys",
                "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(16)",
                "print(s.getsockname()[1], flush=True)",
                "p = subprocess.Popen(sys.argv[1:], stdin=s.fileno())",
                "s.close(); sys.exit(p.wait())");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder("python3", "-c", script, java, "-cp", System.getProperty("java.class.path"),
                SocketServer.class.getName()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            assertThat(out.readLine()).isEqualTo("ready");
            // main printed "ready" last and returned: the listening server alone keeps the JVM running
            assertThat(parent.waitFor(1, TimeUnit.SECONDS)).as("the JVM ended when main returned").isFalse();
            assertThat(get(URI.create("http://127.0.0.1:" + port + "/where"))).isEqualTo("on /127.0.0.1:" + port + "\n");

            ProcessHandle jvm = parent.toHandle().children().findFirst().orElseThrow();
            jvm.destroy(); // SIGTERM, as systemctl stop sends: the shutdown hook closes the server
            assertThat(jvm.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            parent.descendants().forEach(ProcessHandle::destroy);
            parent.destroy();
            parent.waitFor(10, TimeUnit.SECONDS);
        }
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
