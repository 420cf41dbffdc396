package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 item 3: a 2 GiB upload through an early handler, to a server whose JVM has a 64 MiB heap.
 * The body can only get through if the server never holds it.
 */
class LargeUploadTest {
    private static final long SIZE = 2L * 1024 * 1024 * 1024;

    /** Generates {@link #SIZE} pseudo-random bytes and digests what it hands out. */
    private static final class GeneratedBody extends InputStream {
        private final MessageDigest digest;
        private final byte[] block = new byte[256 * 1024];
        private long produced;

        GeneratedBody() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
            new java.util.Random(42).nextBytes(block);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("bulk reads only");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced == SIZE) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, block.length), SIZE - produced);
            block[(int) (produced / block.length % block.length)]++;
            System.arraycopy(block, 0, b, off, n);
            digest.update(b, off, n);
            produced += n;
            return n;
        }
    }

    @Test
    void twoGibUploadThroughAnEarlyHandlerFitsIn64MibOfHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                UploadServerMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            URI base = URI.create(out.readLine().trim());
            GeneratedBody body = new GeneratedBody();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String[] answer = r.body().split(" ");
            assertThat(answer[0]).isEqualTo(HexFormat.of().formatHex(body.digest.digest()));
            assertThat(Long.parseLong(answer[1])).isEqualTo(SIZE);
            assertThat(Long.parseLong(answer[2])).isLessThan(64L * 1024 * 1024);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
