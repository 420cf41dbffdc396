package dev.ladle.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The idle-connections scale row: opens N keep-alive connections that each send one request and then
 * stay open and silent, and reports the server's resident memory per connection and the latency of
 * new requests while they are open.
 *
 * <pre>
 * java ... dev.ladle.bench.load.IdleConnections PORT SERVER_PID [COUNT] [PROBES] [IDLE_SECONDS] [http1|websocket|http2]
 *     [--sources N] [--native]
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
 * <p>A connection's memory is what one more idle connection adds: the connections are opened in two
 * halves, each followed by IDLE_SECONDS of quiet and a measurement, and the figure is the growth from the
 * first measurement to the second divided by the second half's connections. The growth from before the
 * first connection is printed too ({@code *_from_start}); it also spreads over the connections what a
 * server spends once: the machine code the JIT compiles for the connection path, class metadata, pools
 * grown to size.
 *
 * <p>Each measurement has two parts: the server's live heap ({@code jcmd PID GC.class_histogram}, which
 * collects first) and its anonymous resident set ({@code RssAnon}: not the pages of its own libraries and
 * jars, which the kernel drops and reloads at will). run.sh starts this row's server with a fixed,
 * pre-touched heap ({@code -Xms=-Xmx}, {@code -XX:+AlwaysPreTouch}) so that the RSS difference is the
 * memory outside the heap (thread stacks, direct buffers, native state) and the two parts add up
 * without counting garbage. Before the resident set is read, {@code jcmd PID System.trim_native_heap}
 * returns to the system what the C library kept of memory already freed, the JIT compilers' scratch
 * arenas above all: no connection holds it, and without the trim a compilation that fell between the
 * two measurements showed in Ladle as 2-3 KiB per connection (10,000 idle keep-alive connections: the
 * resident set grew 18 MB over the second 5,000, and fell back below its first measurement once
 * trimmed). A growth of the resident set below zero (it moves by a few hundred KiB either way) counts as
 * none in {@code memory_per_connection_kib}; the {@code off_heap} line keeps the measured figure. With
 * {@code --native} the server is not a JVM (nginx): only its resident set is measured
 * (SERVER_PID is then the process that holds the connections, nginx's worker).
 *
 * <p>{@code --sources N} spreads the connections over the source addresses 127.0.0.1 to 127.0.0.N in
 * turn: a client can have one connection per ephemeral port and source address to one server port, so
 * 100,000 connections need several addresses (the port range holds about 28,000 ports). With one
 * source (the default) the kernel chooses the address as before. Prints {@code key=value} lines for
 * run.sh; a failure is a {@code failed ...} line and exit status 1.
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

    /** What one run measures: the arguments of the class comment. */
    record Options(int port, long serverPid, int count, int probes, double idleSeconds, Mode mode,
                   int sources, boolean nativeServer) {
        static Options parse(String[] args) {
            List<String> positional = new ArrayList<>();
            int sources = 1;
            boolean nativeServer = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sources" -> sources = Integer.parseInt(args[++i]);
                    case "--native" -> nativeServer = true;
                    default -> positional.add(args[i]);
                }
            }
            if (positional.size() < 2 || sources < 1 || sources > 254) {
                throw new IllegalArgumentException("usage: IdleConnections PORT SERVER_PID [COUNT] [PROBES] [IDLE_SECONDS]"
                        + " [http1|websocket|http2] [--sources 1..254] [--native]");
            }
            return new Options(Integer.parseInt(positional.get(0)), Long.parseLong(positional.get(1)),
                    positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 10_000,
                    positional.size() > 3 ? Integer.parseInt(positional.get(3)) : 2_000,
                    positional.size() > 4 ? Double.parseDouble(positional.get(4)) : 5,
                    positional.size() > 5 ? Mode.valueOf(positional.get(5).toUpperCase(Locale.ROOT)) : Mode.HTTP1,
                    sources, nativeServer);
        }
    }

    /** Runs the row; see the class comment. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the row with the class comment's arguments, printing its {@code key=value} lines to
     * {@code out}; returns the exit status: 0, or 1 when the connections could not all be opened.
     *
     * @throws IllegalArgumentException for arguments that do not parse
     */
    public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        Options options = Options.parse(args);
        Footprint before = footprint(options);
        List<Idle> idle = new ArrayList<>(options.count());
        byte[] answer = new byte[4096];
        long started = System.nanoTime();
        int firstHalf = options.count() / 2;
        try {
            open(idle, firstHalf, options, answer);
            Thread.sleep((long) (options.idleSeconds() * 1000));
            Footprint half = footprint(options);
            open(idle, options.count(), options, answer);
            out.println("opened=" + idle.size() + " open_seconds=" + (System.nanoTime() - started) / 1e9
                    + " source_addresses=" + options.sources());
            Thread.sleep((long) (options.idleSeconds() * 1000));
            Footprint after = footprint(options);
            printMemory(out, "", half, after, options.count() - firstHalf);
            printMemory(out, "_from_start", before, after, options.count());
            if (options.probes() > 0) {
                probe(out, options.port(), options.probes());
            }
            out.println("still_open=" + stillOpen(idle, answer, options.mode()));
            return 0;
        } catch (IOException e) {
            out.println("failed after " + idle.size() + " connections: " + e);
            return 1;
        } finally {
            for (Idle connection : idle) {
                connection.socket().close();
            }
        }
    }

    /** Opens connections until {@code idle} holds {@code total}, each with its first exchange done. */
    private static void open(List<Idle> idle, int total, Options options, byte[] answer) throws IOException {
        for (int i = idle.size(); i < total; i++) {
            Socket socket = new Socket();
            idle.add(new Idle(socket, null));
            connect(socket, i, options.sources(), options.port());
            // a server that stops answering (out of memory, say) fails the row instead of hanging it
            socket.setSoTimeout(10_000);
            if (options.mode() == Mode.HTTP2) {
                idle.set(i, new Idle(socket, new Http2Connection(socket, "127.0.0.1:" + options.port())));
            }
            if (!exchange(idle.get(i), answer, options.mode(), true)) {
                throw new IOException("connection " + i + " closed before its answer");
            }
        }
    }

    /**
     * The source address of the {@code connection}-th socket when spread over {@code sources}
     * addresses: 127.0.0.1 to 127.0.0.{@code sources} in turn; null for a single source (the kernel
     * chooses).
     */
    public static InetAddress sourceAddress(int connection, int sources) throws IOException {
        if (sources <= 1) {
            return null;
        }
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + connection % sources)});
    }

    /**
     * Connects {@code socket} (new, unbound) to 127.0.0.1:{@code port} from the source address of the
     * {@code connection}-th socket (see {@link #sourceAddress}), with a 10 s connect timeout.
     */
    public static void connect(Socket socket, int connection, int sources, int port) throws IOException {
        InetAddress source = sourceAddress(connection, sources);
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    }

    /** Prints what {@code count} connections added between two measurements, with {@code suffix} on the keys. */
    private static void printMemory(PrintStream out, String suffix, Footprint before, Footprint after, int count) {
        long rss = (after.rssKiB() - before.rssKiB()) * 1024;
        long heap = after.liveHeapBytes() - before.liveHeapBytes();
        out.println("rss_before_kib" + suffix + "=" + before.rssKiB());
        out.println("rss_after_kib" + suffix + "=" + after.rssKiB());
        out.println("live_heap_before_bytes" + suffix + "=" + before.liveHeapBytes());
        out.println("live_heap_after_bytes" + suffix + "=" + after.liveHeapBytes());
        out.printf(Locale.ROOT, "off_heap_per_connection_kib%s=%.2f%n", suffix, rss / 1024.0 / count);
        out.printf(Locale.ROOT, "heap_per_connection_kib%s=%.2f%n", suffix, heap / 1024.0 / count);
        // the resident set moves by a few hundred KiB either way for reasons of its own (what the C library
        // can give back, the JIT's code cache), which may show as a negative figure: count it as none
        out.printf(Locale.ROOT, "memory_per_connection_kib%s=%.2f%n", suffix, (Math.max(0, rss) + heap) / 1024.0 / count);
    }

    /** The latency of {@code probes} new requests on one more connection, after a tenth as many unmeasured. */
    private static void probe(PrintStream out, int port, int probes) {
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
            out.printf(Locale.ROOT, "p50_ms=%.3f%np99_ms=%.3f%n", latency.millis(50), latency.millis(99));
        } catch (IOException e) {
            out.println("probe_failed=" + e.getMessage());
        }
    }

    /** How many of the idle connections still answer one more exchange. */
    private static int stillOpen(List<Idle> idle, byte[] answer, Mode mode) throws IOException {
        int alive = 0;
        // a bounded check (20 s, and 2 ms per connection): a server that neither answers nor closes
        // must not stall the run
        long checkDeadline = System.nanoTime() + 20_000_000_000L + idle.size() * 2_000_000L;
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
        return alive;
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

    /**
     * Collects the server's heap (the class histogram does a full GC) and reads both sizes; for a native
     * server only the resident set (the live heap is 0).
     */
    private static Footprint footprint(Options options) throws IOException, InterruptedException {
        long pid = options.serverPid();
        if (options.nativeServer()) {
            return new Footprint(residentKiB(pid), 0);
        }
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
        // what the C library keeps of memory already freed (the JIT's scratch arenas, transient native
        // buffers) is not held by any connection: give it back before reading the resident set
        Process trim = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "System.trim_native_heap")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        trim.waitFor();
        return new Footprint(residentKiB(pid), Long.parseLong(total[2]));
    }

    /**
     * The anonymous resident memory of process {@code pid} ({@code RssAnon}: heap, stacks, malloc), in KiB;
     * its file-backed pages (the program's own libraries and jars, which the kernel drops and reloads at
     * will) are no connection's. {@code VmRSS} where the kernel does not report {@code RssAnon}.
     */
    private static long residentKiB(long pid) throws IOException {
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        if (rss < 0) {
            throw new IOException("no VmRSS for pid " + pid);
        }
        return rss;
    }
}
