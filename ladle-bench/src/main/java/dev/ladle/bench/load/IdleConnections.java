package dev.ladle.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.net.InetSocketAddress;

/**
 * The idle-connections scale row: opens N keep-alive connections that each send one request and then
 * stay open and silent, and reports the server's resident memory per connection and the latency of
 * new requests while they are open.
 *
 * <pre>
 * java ... dev.ladle.bench.load.IdleConnections PORT SERVER_PID [COUNT] [PROBES] [IDLE_SECONDS] [http1|websocket|http2]
 * </pre>
 *
 * <p>With {@code websocket} each connection is upgraded at {@code /ws} and echoes one 5-byte message
 * instead, so the row measures what an idle WebSocket costs (a push server's many quiet clients). With
 * {@code http2} each connection speaks h2c with prior knowledge ({@link Http2Connection}): the preface
 * and SETTINGS, then one {@code GET /plaintext} on stream 1; checking it afterwards is one more request
 * on the next stream. The probes stay HTTP/1.1 in every mode.
 *
 * <p>The connections sit idle for IDLE_SECONDS (5) before the memory is measured: idle connections
 * in a real server have usually been idle a while, and servers may trim what an idle connection
 * holds after a moment (Ladle lets its buffers go after a second).
 *
 * <p>A connection's memory is measured in two parts, before and after the connections are opened:
 * the server's live heap ({@code jcmd PID GC.class_histogram}, which collects first) and its resident
 * set ({@code VmRSS}). run.sh starts this row's server with a fixed, pre-touched heap
 * ({@code -Xms=-Xmx}, {@code -XX:+AlwaysPreTouch}) so that the RSS difference is the memory outside
 * the heap (thread stacks, socket buffers, direct buffers) and the two parts add up without counting
 * garbage. Prints {@code key=value} lines for run.sh.
 */
public final class IdleConnections {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What each idle connection speaks. */
    private enum Mode { HTTP1, WEBSOCKET, HTTP2 }

    /** An idle connection: its socket, and its HTTP/2 state in {@link Mode#HTTP2} (null otherwise). */
    private record Idle(Socket socket, Http2Connection http2) {
    }

    private IdleConnections() {
    }

    /** Runs the row; see the class comment. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long serverPid = Long.parseLong(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int probes = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        double idleSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        Mode mode = args.length > 5 ? Mode.valueOf(args[5].toUpperCase(Locale.ROOT)) : Mode.HTTP1;

        Footprint before = footprint(serverPid);
        List<Idle> idle = new ArrayList<>(count);
        byte[] answer = new byte[4096];
        long started = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                idle.add(new Idle(socket, null));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                // a server that stops answering (out of memory, say) fails the row instead of hanging it
                socket.setSoTimeout(10_000);
                if (mode == Mode.HTTP2) {
                    idle.set(i, new Idle(socket, new Http2Connection(socket, "127.0.0.1:" + port)));
                }
                if (!exchange(idle.get(i), answer, mode, true)) {
                    throw new IOException("connection " + i + " closed before its answer");
                }
            }
            System.out.println("opened=" + idle.size() + " open_seconds=" + (System.nanoTime() - started) / 1e9);
            Thread.sleep((long) (idleSeconds * 1000));
            Footprint after = footprint(serverPid);
            long rss = (after.rssKiB() - before.rssKiB()) * 1024;
            long heap = after.liveHeapBytes() - before.liveHeapBytes();
            System.out.println("rss_before_kib=" + before.rssKiB());
            System.out.println("rss_after_kib=" + after.rssKiB());
            System.out.println("live_heap_before_bytes=" + before.liveHeapBytes());
            System.out.println("live_heap_after_bytes=" + after.liveHeapBytes());
            System.out.printf("off_heap_per_connection_kib=%.2f%n", rss / 1024.0 / count);
            System.out.printf("heap_per_connection_kib=%.2f%n", heap / 1024.0 / count);
            System.out.printf("memory_per_connection_kib=%.2f%n", (rss + heap) / 1024.0 / count);

            if (probes > 0) {
                Percentiles latency = new Percentiles(probes);
                try (HttpProbe probe = new HttpProbe("127.0.0.1", port)) {
                    for (int i = 0; i < probes / 10; i++) {
                        probe.get(); // warm the client's own path
                    }
                    for (int i = 0; i < probes; i++) {
                        long t0 = System.nanoTime();
                        probe.get();
                        latency.add(System.nanoTime() - t0);
                    }
                    System.out.printf("p50_ms=%.3f%np99_ms=%.3f%n", latency.millis(50), latency.millis(99));
                } catch (IOException e) {
                    System.out.println("probe_failed=" + e.getMessage());
                }
            }
            int alive = 0;
            // a bounded check: a server that neither answers nor closes must not stall the run
            long checkDeadline = System.nanoTime() + 20_000_000_000L;
            for (Idle connection : idle) {
                if (System.nanoTime() > checkDeadline) {
                    break;
                }
                try {
                    connection.socket().setSoTimeout(1_000);
                    if (exchange(connection, answer, mode, false)) {
                        alive++;
                    }
                } catch (IOException e) {
                    // the server dropped this idle connection: counted as not open
                }
            }
            System.out.println("still_open=" + alive);
        } catch (IOException e) {
            System.out.println("failed after " + idle.size() + " connections: " + e);
            System.exit(1);
        } finally {
            for (Idle connection : idle) {
                connection.socket().close();
            }
        }
    }

    /**
     * One round trip on {@code connection}: a plaintext request and its answer (in HTTP/1.1 or HTTP/2), or
     * for a WebSocket (upgraded first when {@code first}) a 5-byte message and its echo. False when the
     * server closed.
     */
    private static boolean exchange(Idle connection, byte[] buffer, Mode mode, boolean first) throws IOException {
        Socket socket = connection.socket();
        if (mode == Mode.HTTP2) {
            Http2Connection.Answer answer = connection.http2().get("/plaintext");
            return answer != null && answer.bodyBytes() == 13;
        }
        if (mode == Mode.HTTP1) {
            socket.getOutputStream().write(REQUEST);
            return readAnswer(socket, buffer);
        }
        if (first) {
            WebSocketLoad.upgrade(socket);
        }
        socket.getOutputStream().write(ECHO_FRAME);
        try {
            return WebSocketLoad.readMessage(new java.io.DataInputStream(socket.getInputStream()), buffer) == 5;
        } catch (java.io.EOFException e) {
            return false;
        }
    }

    private static final byte[] ECHO_FRAME = WebSocketLoad.maskedBinaryFrame(5);

    /** Reads one whole plaintext answer (head plus the 13-byte body); false when the server closed. */
    private static boolean readAnswer(Socket socket, byte[] buffer) throws IOException {
        InputStream in = socket.getInputStream();
        int filled = 0;
        while (true) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                return false;
            }
            filled += n;
            String text = new String(buffer, 0, filled, StandardCharsets.ISO_8859_1);
            if (text.endsWith("Hello, World!")) {
                return true;
            }
        }
    }

    /** The server's resident set and live heap at one moment. */
    private record Footprint(long rssKiB, long liveHeapBytes) {
    }

    /** Collects the server's heap (the class histogram does a full GC) and reads both sizes. */
    private static Footprint footprint(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String last = "";
        for (String line : new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("Total")) {
                last = line;
            }
        }
        histogram.waitFor();
        String[] total = last.trim().split("\\s+");
        if (total.length < 3) {
            throw new IOException("no class histogram from pid " + pid);
        }
        long live = Long.parseLong(total[2]);
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return new Footprint(Long.parseLong(line.replaceAll("[^0-9]", "")), live);
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
