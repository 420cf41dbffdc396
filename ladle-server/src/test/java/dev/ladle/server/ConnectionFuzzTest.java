package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.auth.DigestAuthDomain;
import dev.ladle.fuzz.TrickleInput;
import dev.ladle.http.Forms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes a whole server connection, the way a client's bytes reach it: {@link Server#acceptStream}
 * with the request pipeline behind it (head, framing, body, auth domains, handlers that read the URI,
 * query, URL-encoded and multipart forms, a WebSocket endpoint with permessage-deflate, and HTTP/2 by
 * prior knowledge). Seeds: whole connections of curl, nghttp, the JDK client and headless Chromium.
 *
 * <p>Invariants: the connection ends once the client's bytes do (bounded input, bounded time);
 * nothing is logged at WARNING or above (an internal failure or a handler that met an exception
 * the API does not document); no response shows a stack trace or a class name, and none is a 500.
 */
class ConnectionFuzzTest {
    private static Server server;
    private static LogCapture log;

    @BeforeAll
    static void startServer() throws ReflectiveOperationException {
        log = new LogCapture("dev.ladle", "WARNING");
        server = new Server();
        server.setLimits(new Limits().setMaxRequestLineLength(512).setMaxHeaderSectionSize(2048)
                .setMaxHeaderCount(32).setMaxRequestBodySize(64 * 1024).setHeaderTimeout(Duration.ofSeconds(5)));
        server.addHandler("/", ConnectionFuzzTest::answer);
        BasicAuthDomain basic = new BasicAuthDomain("fuzz", (d, msg, user, password) -> "secret".equals(password));
        basic.addPath("/basic");
        server.addAuthDomain(basic);
        DigestAuthDomain digest = new DigestAuthDomain("fuzz realm",
                (d, msg, user) -> DigestAuthDomain.encodePassword(user, "fuzz realm", "secret"));
        digest.addPath("/digest");
        server.addAuthDomain(digest);
        server.addWebSocketHandler("/ws", null, null, (s, msg, path, conn) ->
                conn.onMessage((type, data) -> conn.sendMessage(type, data)));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        log.close();
    }

    /**
     * Reads what a handler may read: URI, headers, query, the body as a form; answers 200 with sizes
     * only, so that no text of the request (which may say "Exception") shows in the answer.
     */
    private static void answer(Server s, ServerMessage msg, String path, java.util.Map<String, String> query)
            throws IOException {
        String text = msg.getUri().toString().length() + " " + msg.getRequestHeaders().size() + " "
                + (query == null ? 0 : query.size());
        String type = msg.getRequestHeaders().getContentType();
        try {
            if (Forms.MIME_TYPE_URLENCODED.equalsIgnoreCase(type)) {
                text += " " + Forms.decode(new String(msg.getRequestBody().flatten(), StandardCharsets.UTF_8)).size();
            } else if (Forms.MIME_TYPE_MULTIPART.equalsIgnoreCase(type)) {
                try (Forms.MultipartForm form = Forms.decodeMultipart(msg, "file")) {
                    text += " " + form.fields().size();
                }
            }
        } catch (IllegalArgumentException | dev.ladle.http.Multipart.FormatException e) {
            msg.setResponse("text/plain", "bad form".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(400);
            return;
        }
        msg.setResponse("text/plain", text.getBytes(StandardCharsets.UTF_8));
        msg.setStatus(200);
    }

    @FuzzTest
    void connection(byte[] input) throws Exception {
        int logged = log.records().size();
        ClosingOutput out = new ClosingOutput();
        server.acceptStream(new TrickleInput(input), out, null, null);
        assertThat(out.closed.await(10, TimeUnit.SECONDS)).as("the connection ended").isTrue();
        List<String> records = log.records();
        assertThat(records.subList(logged, records.size())).as("logged at WARNING or above").isEmpty();
        String answer = out.text();
        assertThat(answer).doesNotContain("Exception").doesNotContain("dev.ladle.")
                .doesNotContainPattern("\\sat [\\w.$]+\\(").doesNotContain("HTTP/1.1 500");
    }

    /** Collects what the server writes; counts down when the server closes the connection. */
    private static final class ClosingOutput extends OutputStream {
        final CountDownLatch closed = new CountDownLatch(1);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            lock.lock();
            try {
                bytes.write(b, off, len);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }

        String text() {
            lock.lock();
            try {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            } finally {
                lock.unlock();
            }
        }
    }
}
