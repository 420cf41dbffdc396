package dev.ladle.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

/**
 * A server for {@link LargeUploadTest}, run in its own small-heap JVM: an early handler digests the
 * streamed body and answers with the SHA-256 and the heap's peak usage.
 */
public final class UploadServerMain {
    private UploadServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        server.addEarlyHandler("/upload", (s, m, p, q) -> {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            m.getRequestBody().setAccumulate(false);
            m.onGotChunk(digest::update);
            m.onGotBody(() -> {
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                String answer = HexFormat.of().formatHex(digest.digest()) + " " + m.getRequestBody().length() + " " + peak;
                m.setResponse("text/plain", answer.getBytes(StandardCharsets.US_ASCII));
                m.setStatus(200);
            });
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        System.out.println(server.getUris().get(0));
        System.out.flush();
        // until the test closes our standard input
        System.in.read();
        server.close();
    }
}
