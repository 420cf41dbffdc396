package dev.ladle.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts uploads and abandons them part-way, for the soak: each connection sends a POST that announces a
 * 1 MiB body, sends 64 KiB of it, and goes away, every other one with a TCP reset (SO_LINGER 0) instead
 * of a FIN. Half go to {@code /upload} (a body the handler streams away) and half to {@code /echo} (a
 * body the server accumulates in memory), so both kinds of body buffer must be let go.
 *
 * <pre>
 * java ... dev.ladle.bench.load.AbortedUploads PORT COUNT [CONCURRENCY]
 * </pre>
 *
 * Prints {@code aborted=N} (uploads sent and abandoned) and {@code failed=N} (connections refused or
 * broken before the 64 KiB were sent, which a server at its limits may do).
 */
public final class AbortedUploads {
    private static final int DECLARED = 1 << 20;
    private static final byte[] PART = new byte[64 * 1024];

    private AbortedUploads() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        AtomicInteger aborted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        try {
                            abandon(port, i);
                            aborted.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        System.out.println("aborted=" + aborted.get());
        System.out.println("failed=" + failed.get());
    }

    private static void abandon(int port, int i) throws IOException {
        String path = i % 2 == 0 ? "/upload" : "/echo";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            if (i % 4 < 2) {
                socket.setSoLinger(true, 0); // close() then sends RST
            }
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + DECLARED + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(PART);
            out.flush();
        }
    }
}
