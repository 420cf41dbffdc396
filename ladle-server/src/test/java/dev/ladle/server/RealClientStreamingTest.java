package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4 item 8: curl uploads and downloads, and clients that leave mid-transfer without leaking anything. */
class RealClientStreamingTest {
    private static final int SIZE = 32 * 1024 * 1024;
    private Server server;
    private URI base;
    private final CountDownLatch aborted = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.onRequestAborted(m -> aborted.countDown());
        server.addEarlyHandler("/upload", (s, m, p, q) -> {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            m.getRequestBody().setAccumulate(false);
            m.onGotChunk(digest::update);
            m.onGotBody(() -> {
                m.setResponse("text/plain", HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
                m.setStatus(200);
            });
        });
        server.addHandler("/download", (s, m, p, q) -> {
            m.getResponseHeaders().setContentLength(SIZE);
            m.setStatus(200);
            try (OutputStream out = m.getResponseBodyStream()) {
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < SIZE / block.length; i++) {
                    java.util.Arrays.fill(block, (byte) i);
                    out.write(block);
                }
            }
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void curlUploadIsStreamedAndChecksummed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("up.bin");
        byte[] data = new byte[SIZE];
        new java.util.Random(1).nextBytes(data);
        Files.write(file, data);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(run("curl", "-sS", "--data-binary", "@" + file, base + "upload")).isEqualTo(expected);
        // chunked upload too
        assertThat(run("curl", "-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, base + "upload"))
                .isEqualTo(expected);
    }

    @Test
    void curlDownloadOfAStreamedBodyArrivesWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("down.bin");
        run("curl", "-sS", "-o", file.toString(), base + "download");
        assertThat(Files.size(file)).isEqualTo(SIZE);
        byte[] got = Files.readAllBytes(file);
        assertThat(got[0]).isEqualTo((byte) 0);
        assertThat(got[SIZE - 1]).isEqualTo((byte) (SIZE / (64 * 1024) - 1));
    }

    @Test
    void clientLeavingMidUploadLeaksNeitherConnectionsNorDescriptors() throws Exception {
        long fdsBefore = openDescriptors();
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[100_000]);
                out.flush();
            }
        }
        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        awaitNoConnections();
        assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore + 2);
    }

    @Test
    void clientLeavingMidDownloadLeaksNeitherConnectionsNorDescriptors() throws Exception {
        long fdsBefore = openDescriptors();
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.getOutputStream().write("GET /download HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                in.readNBytes(200_000);
            }
        }
        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        awaitNoConnections();
        assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore + 2);
    }

    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.getConnectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.getConnectionCount()).isZero();
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
