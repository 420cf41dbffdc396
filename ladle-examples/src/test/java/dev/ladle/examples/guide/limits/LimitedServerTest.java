package dev.ladle.examples.guide.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the limits chapter says a client gets when it exceeds each limit of {@link LimitedServer#apiLimits()},
 * seen on raw sockets: the exact status line, the fields that matter and whether the connection closes.
 * The timing tests shorten the timeouts to fractions of a second.
 */
class LimitedServerTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    /** The head of a response read from a raw socket, and whether the server closed after it. */
    private record RawResponse(String statusLine, List<String> fields, boolean closed) {
        boolean has(String field) {
            return fields.stream().anyMatch(f -> f.equalsIgnoreCase(field));
        }
    }

    /** Sends {@code request} (and nothing more) on a new connection and reads the answer to the end. */
    private static RawResponse exchange(Server server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket);
        }
    }

    /** Reads a response head, skips its Content-Length body, and checks whether the connection then ends. */
    private static RawResponse read(Socket socket) throws IOException {
        RawResponse head = readHead(socket);
        return new RawResponse(head.statusLine(), head.fields(), socket.getInputStream().read() == -1);
    }

    /** Reads a response head and skips its Content-Length body, leaving the connection as it is. */
    private static RawResponse readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        List<String> lines = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            lines.add(line);
        }
        long length = lines.stream().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToLong(l -> Long.parseLong(l.substring(15).strip())).findFirst().orElse(0);
        in.readNBytes((int) length);
        return new RawResponse(lines.get(0), lines.subList(1, lines.size()), false);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("closed before the end of the head: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    @Test
    void aRequestLineOverTwoKibibytesGets414AndTheConnectionCloses() throws Exception {
        try (Server server = LimitedServer.start(0, LimitedServer.apiLimits())) {
            RawResponse r = exchange(server, "GET /echo?q=" + "a".repeat(2048) + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
            assertThat(r.has("Connection: close")).isTrue();
            assertThat(r.closed()).isTrue();
        }
    }

    @Test
    void aHeaderSectionOverSixteenKibibytesGets431AndTheConnectionCloses() throws Exception {
        try (Server server = LimitedServer.start(0, LimitedServer.apiLimits())) {
            RawResponse r = exchange(server, "GET /echo HTTP/1.1\r\nHost: h\r\nCookie: " + "c".repeat(17 * 1024) + "\r\n\r\n");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
            assertThat(r.closed()).isTrue();
        }
    }

    @Test
    void aDeclaredBodyOverOneMebibyteGets413BeforeTheBodyIsSent() throws Exception {
        try (Server server = LimitedServer.start(0, LimitedServer.apiLimits())) {
            // only the head: the answer does not wait for the body
            RawResponse r = exchange(server, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 413 Content Too Large");
            assertThat(r.has("Connection: close")).isTrue();
            assertThat(r.closed()).isTrue();
        }
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsServed() throws Exception {
        try (Server server = LimitedServer.start(0, LimitedServer.apiLimits()); HttpClient client = HttpClient.newHttpClient()) {
            byte[] body = new byte[1024 * 1024];
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(server.getUris().get(0).resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).hasSize(body.length);
        }
    }

    @Test
    void headersThatTrickleInPastTheHeaderTimeoutGet408AndTheConnectionCloses() throws Exception {
        Limits limits = LimitedServer.apiLimits().setHeaderTimeout(SHORT);
        try (Server server = LimitedServer.start(0, limits); Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /echo HTTP/1.1\r\nHost: h\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)); // and no end
            out.flush();
            RawResponse r = read(socket);
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
            assertThat(r.has("Connection: close")).isTrue();
            assertThat(r.closed()).isTrue();
        }
    }

    @Test
    void aBodyThatStopsArrivingGets408AfterTheBodyReadTimeout() throws Exception {
        Limits limits = LimitedServer.apiLimits().setBodyReadTimeout(SHORT);
        try (Server server = LimitedServer.start(0, limits)) {
            RawResponse r = exchange(server, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 408 Request Timeout");
            assertThat(r.closed()).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAResponse() throws Exception {
        Limits limits = LimitedServer.apiLimits().setIdleTimeout(SHORT);
        try (Server server = LimitedServer.start(0, limits); Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawResponse head = readHead(socket);
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head.has("Connection: close")).isFalse();
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("no byte, the end of the stream").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void aHandlerSlowerThanTheResponseTimeoutGets503WithRetryAfterAndIsInterrupted() throws Exception {
        Limits limits = LimitedServer.apiLimits().setResponseTimeout(SHORT);
        try (Server server = LimitedServer.start(0, limits)) {
            long start = System.nanoTime();
            RawResponse r = exchange(server, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(r.has("Retry-After: 1")).isTrue();
            assertThat(r.closed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(server.getStatistics().getResponseTimeouts()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionOverThePerAddressCapGets503WithRetryAfterWithoutBeingRead() throws Exception {
        Limits limits = LimitedServer.apiLimits().setMaxConnectionsPerAddress(1);
        try (Server server = LimitedServer.start(0, limits); Socket first = new Socket("127.0.0.1", server.getPort())) {
            // the first connection holds the only place; wait until the server counts it
            first.setSoTimeout(10_000);
            first.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(first).statusLine()).isEqualTo("HTTP/1.1 200 OK");
            RawResponse refused = exchange(server, "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(refused.has("Retry-After: 1")).isTrue();
            assertThat(refused.has("Connection: close")).isTrue();
            assertThat(refused.closed()).isTrue();
            assertThat(server.getStatistics().getConnectionsRefusedByAddressLimit()).isEqualTo(1);
        }
    }

    @Test
    void theServerKeepsACopyOfItsLimits() throws Exception {
        Limits limits = LimitedServer.apiLimits();
        try (Server server = LimitedServer.start(0, limits)) {
            limits.setMaxRequestLineLength(64 * 1024);
            assertThat(server.getLimits().getMaxRequestLineLength()).isEqualTo(2 * 1024);
        }
    }

    /** The chapter's table of defaults, value by value. */
    @Test
    void theDefaultsAreThoseTheChapterLists() {
        Limits d = new Limits();
        assertThat(d.getMaxRequestLineLength()).isEqualTo(8 * 1024);
        assertThat(d.getMaxHeaderSectionSize()).isEqualTo(64 * 1024);
        assertThat(d.getMaxHeaderCount()).isEqualTo(200);
        assertThat(d.getMaxRequestBodySize()).isEqualTo(64L * 1024 * 1024);
        assertThat(d.getMaxDrainedBodySize()).isEqualTo(64 * 1024);
        assertThat(d.getRequestBodyMemoryBudget()).isEqualTo(Math.max(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4));
        assertThat(d.getHeaderTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.getBodyReadTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.getIdleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(d.getWriteTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.getResponseTimeout()).isEqualTo(Duration.ZERO);
        assertThat(d.getTlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.getMaxConnections()).isEqualTo(Integer.MAX_VALUE);
        assertThat(d.getMaxConnectionsPerAddress()).isEqualTo(Integer.MAX_VALUE);
        assertThat(d.getMaxConcurrentStreams()).isEqualTo(100);
        assertThat(d.getHttp2StreamWindow()).isEqualTo(1024 * 1024);
        assertThat(d.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
    }
}
