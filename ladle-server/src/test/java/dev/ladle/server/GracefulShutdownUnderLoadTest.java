package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 5: {@link Server#close()} while keep-alive requests, streamed responses, uploads and
 * WebSockets are under way. New connections are refused at once; every request the server had read is
 * answered in full (the keep-alive ones with {@code Connection: close}); WebSockets get 1001; and once
 * the shutdown timeout has passed nothing of the server is left running, not even a handler that
 * ignores the shutdown. The clients check every response they got for completeness: a connection may
 * end between two responses, never inside one.
 */
class GracefulShutdownUnderLoadTest {
    private static final int HAMMERS = 4;
    private static final int HELD = 3;
    private static final int STREAMS = 2;
    private static final int UPLOADS = 2;
    private static final int WEBSOCKETS = 3;
    private static final int STREAM_PARTS = 10;
    private static final int UPLOAD_SIZE = 20_000;

    private Server server;
    private URI base;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch heldRunning = new CountDownLatch(HELD);
    private final CountDownLatch uploadHeadsRead = new CountDownLatch(UPLOADS);
    private final List<String> abortedPaths = new CopyOnWriteArrayList<>();
    private final List<Thread> clientThreads = new ArrayList<>();
    private HttpClient http;
    private final List<WebSocket> webSockets = new ArrayList<>();

    private ResourceCounts start(Duration shutdownTimeout) throws IOException {
        ResourceCounts before = ResourceCounts.take(null);
        server = new Server();
        server.setLimits(new Limits().setShutdownTimeout(shutdownTimeout));
        server.onRequestAborted(m -> abortedPaths.add(m.getUri() == null ? "(head not read)" : m.getUri().getPath()));
        server.onRequestStarted(m -> m.onGotHeaders(() -> {
            if (m.getUri().getPath().equals("/upload")) {
                uploadHeadsRead.countDown();
            }
        }));
        server.addHandler("/fast", (s, m, p, q) -> {
            m.setStatus(200);
            m.setResponse("text/plain", ("fast " + q.get("n")).getBytes(StandardCharsets.UTF_8));
        });
        server.addHandler("/held", (s, m, p, q) -> {
            heldRunning.countDown();
            release.await();
            m.setStatus(200);
            m.setResponse("text/plain", "held".getBytes(StandardCharsets.UTF_8));
        });
        server.addHandler("/stream", (s, m, p, q) -> {
            m.setStatus(200);
            try (OutputStream out = m.getResponseBodyStream()) {
                out.write("part-0;".getBytes(StandardCharsets.UTF_8));
                out.flush();
                release.await();
                for (int i = 1; i < STREAM_PARTS; i++) {
                    out.write(("part-" + i + ";").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.addHandler("/upload", (s, m, p, q) -> {
            m.setStatus(200);
            m.setResponse("text/plain", ("got " + m.getRequestBody().length()).getBytes(StandardCharsets.UTF_8));
        });
        server.addWebSocketHandler("/ws", null, null, (s, m, p, conn) -> { });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        return before;
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (server != null) {
            server.close();
        }
        for (Thread t : clientThreads) {
            t.join(5000);
        }
        webSockets.forEach(WebSocket::abort);
        if (http != null) {
            // not close(): it waits for every exchange, for ever if a failed test left one open
            http.shutdownNow();
            http.awaitTermination(Duration.ofSeconds(5));
        }
    }

    @Test
    void closeUnderLoadAnswersEveryRequestAlreadyReadInFullAndRefusesNewConnections() throws Exception {
        ResourceCounts before = start(Duration.ofSeconds(5));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            held.add(send("GET /held HTTP/1.1\r\nHost: h\r\n\r\n"));
        }
        List<Socket> streams = new ArrayList<>();
        List<InputStream> streamInputs = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            Socket s = send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            streams.add(s);
            InputStream in = s.getInputStream();
            streamInputs.add(in);
            Head head = Head.read(in);
            assertThat(head).as("stream %d head", i).isNotNull();
            assertThat(head.status).isEqualTo(200);
            assertThat(new String(readChunk(in), StandardCharsets.UTF_8)).isEqualTo("part-0;");
        }
        List<Socket> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            Socket s = send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + UPLOAD_SIZE + "\r\n\r\n");
            s.getOutputStream().write(new byte[UPLOAD_SIZE / 2]);
            uploads.add(s);
        }
        List<CompletableFuture<Integer>> closeCodes = new ArrayList<>();
        http = HttpClient.newHttpClient();
        for (int i = 0; i < WEBSOCKETS; i++) {
            closeCodes.add(openWebSocket(http));
        }
        assertThat(heldRunning.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(uploadHeadsRead.await(5, TimeUnit.SECONDS)).isTrue();
        // The keep-alive load starts once the long exchanges are under way: a tight in-JVM load on two
        // cores kept a new connection's virtual thread from running for seconds (the JDK's scheduler).
        List<Hammer> hammers = new ArrayList<>();
        for (int i = 0; i < HAMMERS; i++) {
            Hammer h = new Hammer(new Socket(base.getHost(), base.getPort()));
            hammers.add(h);
            // platform threads, like clients in another process: not on the carriers of the server's threads
            clientThreads.add(Thread.ofPlatform().daemon().start(h));
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> hammers.stream().allMatch(h -> h.responses.get() > 0),
                "every keep-alive client got answers");

        long closeStart = System.nanoTime();
        Thread closer = Thread.ofVirtual().start(server::close);
        assertNewConnectionsRefused();
        // the requests the server had read when it began to close: the held ones, the streams, the uploads
        release.countDown();
        for (Socket s : uploads) {
            s.getOutputStream().write(new byte[UPLOAD_SIZE / 2]);
        }
        for (Socket s : held) {
            assertCompleteAndClosing(s.getInputStream(), "held");
        }
        for (InputStream in : streamInputs) {
            StringBuilder body = new StringBuilder("part-0;");
            byte[] chunk;
            while ((chunk = readChunk(in)) != null) {
                body.append(new String(chunk, StandardCharsets.UTF_8));
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < STREAM_PARTS; i++) {
                expected.append("part-").append(i).append(';');
            }
            assertThat(body.toString()).as("the whole streamed body, last chunk included").isEqualTo(expected.toString());
            assertThat(in.read()).as("then the connection closes").isEqualTo(-1);
        }
        for (Socket s : uploads) {
            assertCompleteAndClosing(s.getInputStream(), "got " + UPLOAD_SIZE);
        }
        for (CompletableFuture<Integer> code : closeCodes) {
            assertThat(code.get(5, TimeUnit.SECONDS)).as("WebSocket close code").isEqualTo(1001);
        }
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart))
                .as("close() returned once all was answered, before the shutdown timeout").isLessThan(5000);
        for (Thread t : clientThreads) {
            t.join(5000);
        }
        for (Hammer h : hammers) {
            assertThat(h.failure).as("keep-alive client %s", hammers.indexOf(h)).isNull();
            assertThat(h.ended).as("keep-alive client ended").isTrue();
        }
        assertThat(abortedPaths).as("aborted requests").doesNotContain("/held", "/stream", "/upload");
        closeAll(held, streams, uploads);
        // the JDK client may keep a closed WebSocket's socket a while: let it go before counting
        webSockets.forEach(WebSocket::abort);
        http.shutdownNow();
        assertThat(http.awaitTermination(Duration.ofSeconds(5))).as("the JDK client stopped").isTrue();
        assertThat(server.getConnectionCount()).isZero();
        ResourceCounts.awaitNoMoreThan(before, null, 2000);
    }

    @Test
    void afterTheShutdownTimeoutNothingOfTheServerIsStillRunning() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        ResourceCounts before = start(timeout);
        CountDownLatch stuckRunning = addStuckHandler();
        server.addHandler("/endless", (s, m, p, q) -> {
            m.setStatus(200);
            OutputStream out = m.getResponseBodyStream();
            while (true) {
                out.write("more;".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(20); // the pace of an endless stream
            }
        });
        Socket stuck = send("GET /stuck HTTP/1.1\r\nHost: h\r\n\r\n");
        Socket endless = send("GET /endless HTTP/1.1\r\nHost: h\r\n\r\n");
        // a WebSocket peer that never answers the server's close frame
        Socket silentPeer = send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(Head.read(silentPeer.getInputStream()).status).isEqualTo(101);
        assertThat(Head.read(endless.getInputStream()).status).isEqualTo(200);
        assertThat(stuckRunning.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        server.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("close() waited the shutdown timeout, not much longer")
                .isBetween(timeout.toMillis() - 50, timeout.toMillis() + 1500);
        assertThat(server.getConnectionCount()).as("connections left after close()").isZero();
        // a thread that was told to end may take a moment to get a carrier and finish
        DisconnectAtEveryPhaseTest.awaitTrue(() -> ResourceCounts.ladleThreads().equals(before.threads()),
                "the server's threads ended");
        closeAll(List.of(stuck, endless, silentPeer));
        ResourceCounts.awaitNoMoreThan(before, null, 2000);
    }

    @Test
    void afterTheShutdownTimeoutAnHttp2HandlerThatIgnoresTheShutdownIsEndedToo() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        ResourceCounts before = start(timeout);
        CountDownLatch stuckRunning = addStuckHandler();
        try (Http2Client c = new Http2Client(base)) {
            c.send(ProtocolClient.Request.get("/stuck"));
            assertThat(stuckRunning.await(5, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            server.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(timeout.toMillis() - 50, timeout.toMillis() + 1500);
            assertThat(server.getConnectionCount()).as("connections left after close()").isZero();
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> ResourceCounts.ladleThreads().equals(before.threads()),
                "the server's threads ended");
        ResourceCounts.awaitNoMoreThan(before, null, 2000);
    }

    @Test
    void connectionsArrivingWhileTheServerClosesLeaveNoSocketOpen() throws Exception {
        ResourceCounts before = ResourceCounts.take(null);
        for (int round = 0; round < 20; round++) {
            Server s = new Server();
            s.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            URI uri = s.getUris().get(0);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            AtomicInteger connected = new AtomicInteger();
            Thread connector = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    try (Socket c = new Socket()) {
                        c.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
                        connected.incrementAndGet();
                    } catch (IOException e) {
                        // refused once the listener closed
                    }
                }
            });
            DisconnectAtEveryPhaseTest.awaitTrue(() -> connected.get() >= 10, "clients connecting");
            s.close();
            stop.set(true);
            connector.join(5000);
        }
        // every connection the listeners took was served and closed, none left open unseen
        ResourceCounts.awaitNoMoreThan(before, null, 3000);
    }

    // ---- clients -----------------------------------------------------------------------------------

    /**
     * A keep-alive client sending {@code GET /fast} after {@code GET /fast} on one connection and checking
     * each answer: complete, and the one it asked for. The connection may end before a response begins
     * (the server closed it while it was idle) or after one that said {@code Connection: close}.
     */
    private static final class Hammer implements Runnable {
        private final Socket socket;
        final AtomicInteger responses = new AtomicInteger();
        volatile String failure;
        volatile boolean ended;

        Hammer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
        }

        @Override
        public void run() {
            try (socket) {
                OutputStream out = socket.getOutputStream();
                PushbackInputStream in = new PushbackInputStream(socket.getInputStream());
                for (int n = 0; ; n++) {
                    try {
                        out.write(("GET /fast?n=" + n + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        break; // closed by the server while idle: the request was never read
                    }
                    int first;
                    try {
                        first = in.read();
                    } catch (IOException e) {
                        break; // reset before a response began
                    }
                    if (first < 0) {
                        break; // EOF before a response began
                    }
                    // from its first byte on, a response must arrive whole
                    in.unread(first);
                    Head head = Head.read(in);
                    String body = new String(head.body(in), StandardCharsets.UTF_8);
                    if (head.status != 200 || !body.equals("fast " + n)) {
                        failure = "response " + n + ": " + head.status + " " + body;
                        return;
                    }
                    responses.incrementAndGet();
                    if (head.closing()) {
                        if (in.read() != -1) {
                            failure = "bytes after a Connection: close response";
                        }
                        break;
                    }
                }
                ended = true;
            } catch (IOException | AssertionError e) {
                failure = "response cut short: " + e;
            }
        }
    }

    private CompletableFuture<Integer> openWebSocket(HttpClient http) throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws");
        webSockets.add(http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                code.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                code.completeExceptionally(error);
            }
        }).get(5, TimeUnit.SECONDS));
        return code;
    }

    private Socket send(String request) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        return s;
    }

    /** Polls until a connection attempt is refused, then checks that a few more are refused too. */
    private void assertNewConnectionsRefused() throws InterruptedException {
        DisconnectAtEveryPhaseTest.awaitTrue(this::refused, "new connections refused");
        for (int i = 0; i < 5; i++) {
            assertThat(refused()).as("connection attempt %d after the listener closed", i).isTrue();
        }
    }

    private boolean refused() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertCompleteAndClosing(InputStream in, String expectedBody) throws IOException {
        Head head = Head.read(in);
        assertThat(head).as("a response").isNotNull();
        assertThat(head.status).isEqualTo(200);
        assertThat(new String(head.body(in), StandardCharsets.UTF_8)).isEqualTo(expectedBody);
        assertThat(head.closing()).as("Connection: close").isTrue();
        assertThat(in.read()).as("then the connection closes").isEqualTo(-1);
    }

    private static void closeAll(List<?>... groups) throws IOException {
        for (List<?> group : groups) {
            for (Object s : group) {
                ((Socket) s).close();
            }
        }
    }

    /** One chunk's data; null after the last chunk. Fails on anything but exact chunked framing. */
    private static byte[] readChunk(InputStream in) throws IOException {
        String size = line(in);
        assertThat(size).as("a chunk size line").isNotNull();
        int n = Integer.parseInt(size.trim(), 16);
        if (n == 0) {
            assertThat(line(in)).as("the end of the chunked body").isEmpty();
            return null;
        }
        byte[] data = in.readNBytes(n);
        assertThat(data).as("chunk data").hasSize(n);
        assertThat(line(in)).isEmpty();
        return data;
    }

    /** A line without its CRLF; null at EOF before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                assertThat(b.size()).as("a line cut short").isZero();
                return null;
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        assertThat(s).endsWith("\r");
        return s.substring(0, s.length() - 1);
    }

    /** A response head read strictly; its body is read with {@link #body}. */
    private record Head(int status, List<String[]> fields) {
        /** Reads a head; null when the stream ended before its first byte. */
        static Head read(InputStream in) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                return null;
            }
            assertThat(statusLine).matches("HTTP/1\\.1 \\d{3} .*");
            List<String[]> fields = new ArrayList<>();
            String l;
            while (!(l = line(in)).isEmpty()) {
                int colon = l.indexOf(':');
                fields.add(new String[] {l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim()});
            }
            return new Head(Integer.parseInt(statusLine.substring(9, 12)), fields);
        }

        String header(String name) {
            for (String[] f : fields) {
                if (f[0].equals(name)) {
                    return f[1];
                }
            }
            return null;
        }

        boolean closing() {
            String c = header("connection");
            return c != null && c.toLowerCase(Locale.ROOT).contains("close");
        }

        /** The whole body by its Content-Length or chunked framing; fails when it is cut short. */
        byte[] body(InputStream in) throws IOException {
            String length = header("content-length");
            if (length != null) {
                int n = Integer.parseInt(length);
                byte[] b = in.readNBytes(n);
                assertThat(b).as("a body of its Content-Length").hasSize(n);
                return b;
            }
            assertThat(header("transfer-encoding")).isEqualToIgnoringCase("chunked");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = readChunk(in)) != null) {
                body.writeBytes(chunk);
            }
            return body.toByteArray();
        }
    }

    /** A handler at /stuck that ignores the shutdown (only an interrupt ends its wait); counts down once it runs. */
    private CountDownLatch addStuckHandler() {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch neverReleased = new CountDownLatch(1);
        server.addHandler("/stuck", (s, m, p, q) -> {
            running.countDown();
            neverReleased.await();
        });
        return running;
    }
}
