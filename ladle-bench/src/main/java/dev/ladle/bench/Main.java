package dev.ladle.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one benchmark server by name and keeps it running until the process is stopped (SIGTERM).
 *
 * <pre>
 * java -cp ... dev.ladle.bench.Main NAME [PORT] [--tls KEYSTORE.p12 PASSWORD]
 * </pre>
 *
 * <p>NAME is one of {@link #SERVERS}. Prints {@code ready NAME port=P} once listening and, when
 * stopped, {@code peak-heap-bytes=N}: the sum of the heap pools' peak usage, an upper bound of the
 * heap the run needed (run.sh reads both lines from the server's log).
 */
public final class Main {
    /** The servers by name, each a {@link BenchServer} with a constructor taking {@link ServerOptions}. */
    public static final Map<String, String> SERVERS = Map.of(
            "ladle", "dev.ladle.bench.peers.LadlePeer",
            "netty", "dev.ladle.bench.peers.NettyPeer",
            "undertow", "dev.ladle.bench.peers.UndertowPeer",
            "jetty", "dev.ladle.bench.peers.JettyPeer",
            "helidon", "dev.ladle.bench.peers.HelidonPeer",
            "jdk", "dev.ladle.bench.peers.JdkPeer");

    private Main() {
    }

    /** Starts the named server; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !SERVERS.containsKey(args[0].toLowerCase(Locale.ROOT))) {
            System.err.println("usage: Main " + String.join("|", SERVERS.keySet()) + " [PORT] [--tls KEYSTORE PASSWORD]");
            System.exit(2);
        }
        String name = args[0].toLowerCase(Locale.ROOT);
        int port = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 8080;
        ServerOptions options = ServerOptions.plain(port);
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--tls") && i + 2 < args.length) {
                options = new ServerOptions(port, Path.of(args[i + 1]), args[i + 2].toCharArray());
            }
        }
        BenchServer server;
        try {
            server = start(name, options);
        } catch (Exception e) {
            System.out.println("failed " + name + ": " + e);
            System.exit(3);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.out.println("close failed: " + e);
            }
            System.out.println("peak-heap-bytes=" + peakHeap());
            stopped.countDown();
        }));
        System.out.println("ready " + name + " port=" + server.port() + " websocket=" + server.hasWebSocket()
                + " http2=" + server.hasHttp2());
        System.out.flush();
        stopped.await();
    }

    /** Starts the server called {@code name} (a key of {@link #SERVERS}). */
    public static BenchServer start(String name, ServerOptions options) throws Exception {
        String type = SERVERS.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown server " + name);
        }
        try {
            return (BenchServer) Class.forName(type).getConstructor(ServerOptions.class).newInstance(options);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Returns the sum of the heap pools' peak usage since the JVM started. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
