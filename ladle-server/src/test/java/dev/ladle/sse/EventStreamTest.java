package dev.ladle.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventStream} on a real server: the JDK {@code HttpClient} reading the stream line by line over
 * HTTP/1.1, OkHttp over HTTP/2 with prior knowledge, and raw sockets where the exact bytes or a client
 * that never reads matter. (HTTP/2 over TLS with the JDK client: {@code dev.ladle.tls.EventStreamOverTlsTest};
 * a browser's {@code EventSource}: {@link EventStreamChromiumTest}.)
 */
class EventStreamTest {
    private Server server;
    private URI base;
    private HttpClient jdk;
    private OkHttpClient okHttp;
    /** The streams the handler opened, in order. */
    private final BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
    /** The messages the streams were opened on, in order. */
    private final BlockingQueue<ServerMessage> messages = new LinkedBlockingQueue<>();
    /** The {@code Last-Event-ID} each request came with ("none" for none). */
    private final BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
    /** What the handler does with the stream it opened, before it returns: no keep-alive unless a test wants one. */
    private volatile Consumer<EventStream> setup = events -> events.setKeepAlive(Duration.ZERO);

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        // a stream a test leaves open must not hold the server's close for the default 10 s
        server.setLimits(new Limits().setShutdownTimeout(Duration.ofSeconds(1)));
        server.addHandler("/events", (s, msg, path, query) -> {
            EventStream events = EventStream.open(msg);
            String last = events.getLastEventId();
            lastEventIds.add(last == null ? "none" : last);
            setup.accept(events);
            messages.add(msg);
            opened.add(events);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        okHttp = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .readTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() {
        for (EventStream events : opened) {
            events.close();
        }
        jdk.shutdownNow();
        okHttp.dispatcher().executorService().shutdownNow();
        okHttp.connectionPool().evictAll();
        server.close();
    }

    private EventStream nextOpened() throws InterruptedException {
        EventStream events = opened.poll(10, TimeUnit.SECONDS);
        assertThat(events).as("a stream the handler opened").isNotNull();
        return events;
    }

    private HttpResponse<Stream<String>> jdkGet(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/events"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return jdk.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    private static StreamLines okHttpLines(Response response) {
        return StreamLines.of(() -> response.body().source().readUtf8Line(), response);
    }

    private static CountDownLatch closedLatch(EventStream events) {
        CountDownLatch closed = new CountDownLatch(1);
        events.onClose(closed::countDown);
        return closed;
    }

    /** Opens a raw HTTP/1.1 connection, asks for the stream and returns it once the head arrived. */
    private Socket rawGet() throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Reads from {@code in} until what was read contains {@code expected}; returns all of it. */
    private static String readUntil(InputStream in, String expected) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        while (got.indexOf(expected) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("the stream ended before " + expected + "; got " + got);
            }
            got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return got.toString();
    }

    // ---- events on the wire ------------------------------------------------------------------------

    @Test
    void eventsArriveLineByLineOverHttp11EachAsItIsSent() throws Exception {
        HttpResponse<Stream<String>> response = jdkGet();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        EventStream events = nextOpened();
        try (StreamLines lines = StreamLines.of(response.body())) {
            // each event is read before the next is sent: it went out on its own, not when the body ended
            events.send("first");
            assertThat(lines.next(2)).containsExactly("data: first", "");
            events.send(Event.of("tick", "line one\nline two").withId("7").withRetry(Duration.ofSeconds(3)));
            assertThat(lines.next(6)).containsExactly("event: tick", "id: 7", "retry: 3000", "data: line one",
                    "data: line two", "");
            events.send("price", "12.5");
            assertThat(lines.next(3)).containsExactly("event: price", "data: 12.5", "");
            events.comment("just a note");
            assertThat(lines.next(2)).containsExactly(": just a note", "");
            events.close();
            assertThat(lines.next()).as("the end of the body").isNull();
        }
    }

    @Test
    void http11StreamIsChunked() throws Exception {
        try (Socket socket = rawGet()) {
            EventStream events = nextOpened();
            events.send("hello");
            String got = readUntil(socket.getInputStream(), "data: hello\n\n");
            assertThat(got).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nTransfer-Encoding: chunked\r\n")
                    .doesNotContainIgnoringCase("Content-Length");
            events.close();
            assertThat(readUntil(socket.getInputStream(), "0\r\n\r\n")).endsWith("0\r\n\r\n");
        }
    }

    @Test
    void eventsArriveOverHttp2WithPriorKnowledge() throws Exception {
        try (Response response = okHttp.newCall(new Request.Builder().url(base.resolve("/events").toString()).build()).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(response.header("Transfer-Encoding")).isNull();
            EventStream events = nextOpened();
            StreamLines lines = okHttpLines(response);
            events.send(Event.of("one").withId("1"));
            assertThat(lines.next(3)).containsExactly("id: 1", "data: one", "");
            events.send(Event.of("tick", "two\nlines").withId("2"));
            assertThat(lines.next(5)).containsExactly("event: tick", "id: 2", "data: two", "data: lines", "");
            events.close();
            assertThat(lines.next()).isNull();
        }
    }

    @Test
    void eventsTheHandlerSendsBeforeItReturnsGoOutAfterTheHead() throws Exception {
        setup = events -> {
            events.setKeepAlive(Duration.ZERO);
            try {
                events.send(Event.of("replayed 1").withId("1"));
                events.send(Event.of("replayed 2").withId("2"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            assertThat(lines.next(6)).containsExactly("id: 1", "data: replayed 1", "", "id: 2", "data: replayed 2", "");
        }
    }

    @Test
    void eventsSentFromManyThreadsArriveWholeAndAll() throws Exception {
        int threads = 8;
        int perThread = 200;
        HttpResponse<Stream<String>> response = jdkGet();
        EventStream events = nextOpened();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int sender = t;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    try {
                        events.send(Event.of(sender + "-" + i + " head\n" + sender + "-" + i + " tail"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }));
        }
        for (Thread t : senders) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        events.close();
        Set<String> seen = new HashSet<>();
        try (StreamLines lines = StreamLines.of(response.body())) {
            String line;
            while ((line = lines.next()) != null) {
                // an event is two data lines and a blank one, never interleaved with another's
                assertThat(line).startsWith("data: ").endsWith(" head");
                String id = line.substring("data: ".length(), line.length() - " head".length());
                assertThat(lines.next(2)).containsExactly("data: " + id + " tail", "");
                assertThat(seen.add(id)).as("event %s once", id).isTrue();
            }
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void eventsWrittenAreNotKeptInTheResponseBody() throws Exception {
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            ServerMessage msg = messages.poll(10, TimeUnit.SECONDS);
            events.send("one");
            events.send("two");
            assertThat(lines.next(4)).containsExactly("data: one", "", "data: two", "");
            // a stream open for days must not hold what it sent: "one" went before "two" was written
            assertThatThrownBy(() -> msg.getResponseBody().getChunk(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("discarded");
        }
    }

    @Test
    void lineBreakInAFieldIsRefusedAndTheStreamStaysUsable() throws Exception {
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            assertThatThrownBy(() -> events.send("tick\ndata: forged", "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event field");
            assertThatThrownBy(() -> events.comment("a\r\nid: 9"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment field");
            events.send("after");
            assertThat(lines.next(2)).containsExactly("data: after", "");
        }
    }

    // ---- Last-Event-ID ------------------------------------------------------------------------------

    @Test
    void lastEventIdOfAReconnectingClientReachesTheHandler() throws Exception {
        try (StreamLines first = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            events.send(Event.of("one").withId("41"));
            assertThat(first.next(3)).containsExactly("id: 41", "data: one", "");
            events.close();
        }
        assertThat(lastEventIds.poll(10, TimeUnit.SECONDS)).isEqualTo("none");
        // what an EventSource sends when it reconnects: the id of the last event it got
        try (StreamLines second = StreamLines.of(jdkGet("Last-Event-ID", "41").body())) {
            EventStream events = nextOpened();
            assertThat(events.getLastEventId()).isEqualTo("41");
            assertThat(lastEventIds.poll(10, TimeUnit.SECONDS)).isEqualTo("41");
            events.send(Event.of("two").withId("42"));
            assertThat(second.next(3)).containsExactly("id: 42", "data: two", "");
        }
    }

    // ---- keep-alive ---------------------------------------------------------------------------------

    @Test
    void keepAliveCommentArrivesWhileTheStreamIsQuiet() throws Exception {
        setup = events -> events.setKeepAlive(Duration.ofMillis(200));
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            assertThat(lines.next(4)).containsExactly(":", "", ":", "");
        }
    }

    @Test
    void keepAliveIsOnByDefault() throws Exception {
        setup = events -> { };
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            assertThat(events.getKeepAlive()).isEqualTo(EventStream.DEFAULT_KEEP_ALIVE);
            assertThat(events.keepAliveTask()).isNotNull();
            assertThat(events.keepAliveTask().isDone()).isFalse();
        }
    }

    @Test
    void keepAliveZeroCancelsItsTick() throws Exception {
        setup = events -> events.setKeepAlive(Duration.ofHours(1));
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            Future<?> keepAlive = events.keepAliveTask();
            events.setKeepAlive(Duration.ZERO);
            assertThat(keepAlive.isCancelled()).isTrue();
        }
    }

    // ---- clients that leave -------------------------------------------------------------------------

    @Test
    void http11ClientThatLeavesIsNoticedWhileTheApplicationSendsNothing() throws Exception {
        setup = events -> events.setKeepAlive(Duration.ofHours(1));
        EventStream events;
        try (Socket socket = rawGet()) {
            events = nextOpened();
            events.send("hello");
            readUntil(socket.getInputStream(), "data: hello\n\n");
        }
        assertLeft(events);
    }

    @Test
    void jdkClientClosingItsLinesIsNoticed() throws Exception {
        setup = events -> events.setKeepAlive(Duration.ofHours(1));
        HttpResponse<Stream<String>> response = jdkGet();
        EventStream events = nextOpened();
        StreamLines lines = StreamLines.of(response.body());
        events.send("hello");
        assertThat(lines.next(2)).containsExactly("data: hello", "");
        lines.close();
        assertLeft(events);
    }

    @Test
    void http2ClientThatCancelsIsNoticed() throws Exception {
        setup = events -> events.setKeepAlive(Duration.ofHours(1));
        EventStream events;
        try (Response response = okHttp.newCall(new Request.Builder().url(base.resolve("/events").toString()).build()).execute()) {
            events = nextOpened();
            StreamLines lines = okHttpLines(response);
            events.send("hello");
            assertThat(lines.next(2)).containsExactly("data: hello", "");
            // closing an unfinished body resets the stream (RST_STREAM CANCEL); the connection stays
        }
        assertLeft(events);
    }

    /** The stream noticed its client left within seconds: closed, listeners run, sends fail, keep-alive cancelled. */
    private static void assertLeft(EventStream events) throws Exception {
        assertThat(closedLatch(events).await(5, TimeUnit.SECONDS)).as("onClose within 5 s").isTrue();
        assertThat(events.isOpen()).isFalse();
        assertThatThrownBy(() -> events.send("anyone?")).isInstanceOf(IOException.class).hasMessageContaining("client left");
        assertThat(events.keepAliveTask().isCancelled()).as("the keep-alive tick cancelled").isTrue();
    }

    @Test
    void clientThatDoesNotReadIsDroppedOnceItsQueueIsFull() throws Exception {
        setup = events -> {
            events.setKeepAlive(Duration.ZERO);
            events.setMaxQueuedBytes(256 * 1024);
        };
        String data = "x".repeat(64 * 1024);
        try (Socket socket = rawGet()) {
            // the client reads nothing: the socket buffers fill, then the stream's queue
            EventStream events = nextOpened();
            CountDownLatch closed = closedLatch(events);
            IOException refused = null;
            for (int i = 0; i < 4096 && refused == null; i++) {
                try {
                    events.send(data);
                } catch (IOException e) {
                    refused = e;
                }
                assertThat(events.getQueuedBytes()).isLessThanOrEqualTo(256 * 1024 + data.length() + 16);
            }
            assertThat(refused).as("a send refused").isNotNull().hasMessageContaining("not keeping up");
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(events.isOpen()).isFalse();
            assertThatThrownBy(() -> events.send("more")).isInstanceOf(IOException.class).hasMessageContaining("not keeping up");
        }
    }

    // ---- closing ------------------------------------------------------------------------------------

    @Test
    void closeListenerAddedAfterTheCloseRunsAtOnceAndEachRunsOnce() throws Exception {
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            events.onClose(() -> ran.add("before"));
            events.onClose(() -> {
                throw new IllegalStateException("a broken listener");
            });
            events.close();
            events.close();
            events.onClose(() -> ran.add("after"));
            assertThat(ran).containsExactly("before", "after");
            assertThat(lines.next()).isNull();
            assertThatThrownBy(() -> events.send("late")).isInstanceOf(IOException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void closedSubscriptionDoesNotRun() throws Exception {
        try (StreamLines lines = StreamLines.of(jdkGet().body())) {
            EventStream events = nextOpened();
            List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            events.onClose(() -> ran.add("removed")).close();
            events.close();
            assertThat(ran).isEmpty();
        }
    }

    @Test
    void headRequestGetsTheHeadAndItsStreamCloses() throws Exception {
        HttpResponse<Void> response = jdk.send(HttpRequest.newBuilder(base.resolve("/events"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        EventStream events = nextOpened();
        assertThat(closedLatch(events).await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void serverCloseEndsAnOpenStream() throws Exception {
        HttpResponse<Stream<String>> response = jdkGet();
        EventStream events = nextOpened();
        CountDownLatch closed = closedLatch(events);
        try (StreamLines lines = StreamLines.of(response.body())) {
            server.close();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Reads {@code in} to its end. */
    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void serverCloseEndsAnOpenStreamCleanlyWithoutWaitingForTheShutdownTimeout() throws Exception {
        server.setLimits(new Limits().setShutdownTimeout(Duration.ofSeconds(30)));
        try (Socket socket = rawGet()) {
            InputStream in = socket.getInputStream();
            EventStream events = nextOpened();
            events.send("before");
            readUntil(in, "data: before\n\n");
            long started = System.nanoTime();
            server.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("close took, ms").isLessThan(5_000);
            assertThat(readToEnd(in)).as("the chunked body's end, then the connection's").endsWith("0\r\n\r\n");
            assertThat(events.isOpen()).isFalse();
            assertThatThrownBy(() -> events.send("after")).isInstanceOf(IOException.class)
                    .hasMessage("the server is shutting down");
        }
    }

    @Test
    void drainingEndsOpenStreamsAndAStreamOpenedWhileDrainingEndsAfterItsHead() throws Exception {
        try (Socket socket = rawGet()) {
            EventStream events = nextOpened();
            CountDownLatch closed = closedLatch(events);
            readUntil(socket.getInputStream(), "\r\n\r\n");
            server.startDraining();
            // the body ends; the connection stays for a next request (answered with Connection: close)
            readUntil(socket.getInputStream(), "0\r\n\r\n");
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
        try (Socket socket = rawGet()) {
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/event-stream; charset=utf-8\r\n")
                    .endsWith("\r\n\r\n0\r\n\r\n");
            assertThat(nextOpened().isOpen()).isFalse();
        }
    }

    @Test
    void drainingEndsAnOpenStreamOverHttp2() throws Exception {
        Request request = new Request.Builder().url(base.resolve("/events").toString()).build();
        try (Response response = okHttp.newCall(request).execute(); StreamLines lines = okHttpLines(response)) {
            EventStream events = nextOpened();
            events.send("before");
            assertThat(lines.next(2)).containsExactly("data: before", "");
            server.startDraining();
            assertThat(lines.next(5, TimeUnit.SECONDS)).as("the end of the body").isNull();
            assertThat(events.isOpen()).isFalse();
        }
    }
}
