package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.sse.Event;
import dev.ladle.sse.EventStream;
import dev.ladle.sse.StreamLines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventStream} over HTTP/2 with the JDK {@code HttpClient}, which speaks HTTP/2 over TLS only
 * (ALPN {@code h2}): events arrive line by line in DATA frames, {@code Last-Event-ID} reaches the
 * handler, and a client that closes its lines (resetting the stream) is noticed.
 */
class EventStreamOverTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    private Server server;
    private URI uri;
    private HttpClient client;
    private final BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setLimits(new Limits().setShutdownTimeout(Duration.ofSeconds(1)));
        server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));
        server.addHandler("/events", (s, msg, path, query) -> {
            EventStream events = EventStream.open(msg);
            events.setKeepAlive(Duration.ZERO);
            events.send(Event.of("version", msg.getHttpVersion().text()));
            opened.add(events);
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        uri = server.getUris().get(0);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsClients.context(pki.caCert, null)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        for (EventStream events : opened) {
            events.close();
        }
        client.shutdownNow();
        server.close();
    }

    private HttpResponse<Stream<String>> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve("/events"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    private EventStream nextOpened() throws InterruptedException {
        EventStream events = opened.poll(10, TimeUnit.SECONDS);
        assertThat(events).as("a stream the handler opened").isNotNull();
        return events;
    }

    @Test
    void jdkClientReadsEventsLineByLineOverH2() throws Exception {
        HttpResponse<Stream<String>> response = get();
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        EventStream events = nextOpened();
        try (StreamLines lines = StreamLines.of(response.body())) {
            assertThat(lines.next(3)).containsExactly("event: version", "data: HTTP/2", "");
            events.send(Event.of("a\nb").withId("5").withRetry(Duration.ofMillis(250)));
            assertThat(lines.next(5)).containsExactly("id: 5", "retry: 250", "data: a", "data: b", "");
            events.close();
            assertThat(lines.next()).as("END_STREAM").isNull();
        }
    }

    @Test
    void lastEventIdReachesTheHandlerOverH2() throws Exception {
        HttpResponse<Stream<String>> response = get("Last-Event-ID", "abc-17");
        EventStream events = nextOpened();
        assertThat(events.getLastEventId()).isEqualTo("abc-17");
        try (StreamLines lines = StreamLines.of(response.body())) {
            assertThat(lines.next(3)).containsExactly("event: version", "data: HTTP/2", "");
        }
    }

    @Test
    void clientThatClosesItsLinesIsNoticed() throws Exception {
        HttpResponse<Stream<String>> response = get();
        EventStream events = nextOpened();
        CountDownLatch closed = new CountDownLatch(1);
        events.onClose(closed::countDown);
        StreamLines lines = StreamLines.of(response.body());
        assertThat(lines.next(3)).containsExactly("event: version", "data: HTTP/2", "");
        lines.close();
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("onClose within 5 s").isTrue();
        assertThatThrownBy(() -> events.send("gone?")).isInstanceOf(IOException.class);
    }
}
