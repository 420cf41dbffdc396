package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.bench.load.IdleConnections;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The idle-connections client that run.sh's idle10k and idle100k rows use: its connections come from the
 * source addresses it was told to spread them over, and its RSS-only mode (for nginx) measures a server
 * without jcmd. Real Ladle servers, real sockets, a few connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleConnectionsTest {

    @Test
    void connectionsTakeTheSourceAddressesInTurn() throws Exception {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sources.add(IdleConnections.sourceAddress(i, 3).getHostAddress());
        }
        assertThat(sources).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.1", "127.0.0.2",
                "127.0.0.3", "127.0.0.1");
    }

    @Test
    void eachConnectionComesFromItsSourceAddressAndIsAnswered() throws Exception {
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            for (int i = 0; i < 4; i++) {
                try (Socket socket = new Socket()) {
                    IdleConnections.connect(socket, i, 3, server.port());
                    assertThat(socket.getLocalAddress()).isEqualTo(IdleConnections.sourceAddress(i, 3));
                    socket.getOutputStream().write(
                            "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                            .startsWith("HTTP/1.1 200").endsWith("Hello, World!");
                }
            }
        }
    }

    @Test
    void oneSourceAddressLeavesTheChoiceToTheKernel() throws Exception {
        assertThat(IdleConnections.sourceAddress(5, 1)).isNull();
    }

    @Test
    void spreadConnectionsAllStayOpenAndAnswerAgain() throws Exception {
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            String out = run(server.port(), "30", "20", "0", "http1", "--sources", "3", "--native");
            assertThat(out).contains("opened=30 ", "source_addresses=3", "still_open=30", "p99_ms=")
                    .doesNotContain("probe_failed", "failed after");
        }
    }

    @Test
    void nativeModeMeasuresTheResidentSetWithoutTheHeap() throws Exception {
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            String out = run(server.port(), "10", "0", "0", "http1", "--native");
            assertThat(out).contains("live_heap_before_bytes=0", "live_heap_after_bytes=0",
                    "memory_per_connection_kib=", "still_open=10");
        }
    }

    @Test
    void theFigureIsWhatTheSecondHalfOfTheConnectionsAddedAndTheWholeGrowthIsPrintedBeside() throws Exception {
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            String out = run(server.port(), "10", "0", "0", "http1", "--native");
            long half = kib(out, "rss_before_kib=");
            long after = kib(out, "rss_after_kib=");
            assertThat(kib(out, "rss_after_kib_from_start=")).isEqualTo(after);
            double perConnection = Double.parseDouble(value(out, "off_heap_per_connection_kib="));
            assertThat(perConnection).isCloseTo((after - half) / 5.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(out).contains("memory_per_connection_kib_from_start=", "still_open=10");
        }
    }

    private static long kib(String out, String key) {
        return Long.parseLong(value(out, key));
    }

    private static String value(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow().substring(key.length());
    }

    @Test
    void aServerThatIsGoneFailsTheRunWithTheReason() throws Exception {
        int port;
        try (BenchServer server = Main.start("ladle", ServerOptions.plain(0))) {
            port = server.port();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = IdleConnections.run(new String[] {Integer.toString(port), pid(), "5", "0", "0", "http1", "--native"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("failed after 1 connections:");
    }

    @Test
    void aSourceCountOutsideTheLoopbackRangeIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> IdleConnections.run(new String[] {"1", "1", "--sources", "300"}, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--sources 1..254");
    }

    /** Runs the client against this JVM (the server runs in it) and returns what it printed. */
    private static String run(int port, String... rest) throws Exception {
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), pid()));
        args.addAll(List.of(rest));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = IdleConnections.run(args.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        return out;
    }

    private static String pid() {
        return Long.toString(ProcessHandle.current().pid());
    }
}
