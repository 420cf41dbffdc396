package dev.ladle.junit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Sends a request a {@link MockServer} received on to a real server with the JDK {@link HttpClient}, and
 * turns the real answer into a {@link MockResponse}, as a proxy does: hop-by-hop headers are dropped both
 * ways, {@code Host} names the real server, the body goes through as it is (no decompression), and
 * redirects are passed back rather than followed. The answer's {@code Content-Length}, {@code Date} and
 * {@code Server} are left to the mock server, which writes its own; the other header names come back
 * in lower case, as the JDK client gives them.
 *
 * <p>The client is made on first use and shut down by {@link #close()}, which also aborts the requests
 * still waiting for a real answer. Thread-safe.
 */
final class ProxyForwarder implements AutoCloseable {
    /** Headers about one connection (RFC 9110 §7.6.1), never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings");
    /** Request headers the JDK client sets itself: the real server's Host, the body's length. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");
    /** Response headers the mock server writes itself. */
    private static final Set<String> SET_BY_SERVER = Set.of("content-length", "date", "server");

    private final Duration timeout;
    private final ReentrantLock making = new ReentrantLock();
    private HttpClient client;
    private boolean closed;

    /** @param timeout how long to wait to connect, and for the whole real answer */
    ProxyForwarder(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Sends {@code request} to the same path and query under {@code target} ({@code http://host:port}
     * with an optional base path) and returns the real answer.
     *
     * @throws IOException when the real server cannot be reached, does not answer in time, or answers
     *     with something a mock response cannot hold (a status outside 200 to 599)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    MockResponse forward(URI target, RecordedRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder outgoing = HttpRequest.newBuilder(resolve(target, request))
                .timeout(timeout)
                .method(request.method(), request.body().length == 0 && !hasBody(request)
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (target.getScheme().equalsIgnoreCase("http")) {
            outgoing.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade attempt on a plain connection
        }
        Set<String> perConnection = connectionHeaders(request);
        for (Map.Entry<String, String> h : request.headerLines()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name) && !SET_BY_CLIENT.contains(name)
                    && !perConnection.contains(name)) {
                try {
                    outgoing.header(h.getKey(), h.getValue());
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client will not send on a caller's behalf: the real server goes without
                }
            }
        }
        HttpResponse<byte[]> answer = client().send(outgoing.build(), HttpResponse.BodyHandlers.ofByteArray());
        MockResponse response;
        try {
            response = MockResponse.status(answer.statusCode()).withBody(answer.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("the real server answered " + answer.statusCode() + ", which a mock response cannot hold", e);
        }
        Set<String> perResponse = connectionHeaders(answer.headers().allValues("Connection"));
        for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name) && !SET_BY_SERVER.contains(name)
                    && !perResponse.contains(name)) {
                for (String value : h.getValue()) {
                    response = response.withHeader(h.getKey(), value);
                }
            }
        }
        return response;
    }

    /** The real server's URI for {@code request}: the target's base path, then the request's path and query. */
    static URI resolve(URI target, RecordedRequest request) {
        String base = target.getRawPath() == null ? "" : target.getRawPath().replaceAll("/+$", "");
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + base + MappingRequest.urlAsSent(request));
    }

    private static boolean hasBody(RecordedRequest request) {
        return request.header("Content-Length") != null || request.header("Transfer-Encoding") != null;
    }

    /** The headers the {@code Connection} header names as hop-by-hop, in lower case. */
    private static Set<String> connectionHeaders(RecordedRequest request) {
        return connectionHeaders(request.headers("Connection"));
    }

    private static Set<String> connectionHeaders(List<String> lines) {
        return lines.stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.trim().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private HttpClient client() throws IOException {
        making.lock();
        try {
            if (closed) {
                throw new IOException("the mock server is closed");
            }
            if (client == null) {
                client = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(timeout)
                        .build();
            }
            return client;
        } finally {
            making.unlock();
        }
    }

    /** Shuts the client down, aborting requests in flight; later forwards fail. */
    @Override
    public void close() {
        making.lock();
        try {
            closed = true;
            if (client != null) {
                client.shutdownNow();
            }
        } finally {
            making.unlock();
        }
    }
}
