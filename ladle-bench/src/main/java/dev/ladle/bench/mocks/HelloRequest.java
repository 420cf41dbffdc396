package dev.ladle.bench.mocks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The one request of a cycle, {@code GET /hello}, and the check that the stub answered it. */
final class HelloRequest {
    /** The path every library stubs. */
    static final String PATH = "/hello";
    /** The stub's body. */
    static final String BODY = "Hello";
    /** The stub's content type. */
    static final String CONTENT_TYPE = "text/plain";
    /** Long enough for a loaded machine; a server that does not answer fails the run instead of hanging it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HelloRequest() {
    }

    /** The URI of {@link #PATH} on a server listening on {@code 127.0.0.1:port}. */
    static URI uri(boolean https, int port) {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + PATH);
    }

    /**
     * Sends {@code GET uri} and reads the whole answer.
     *
     * @throws IOException when the answer is not 200 with the stub's body, or did not come within 10 s
     */
    static void send(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !BODY.equals(answer.body())) {
            throw new IOException("GET " + uri + " got " + answer.statusCode() + " " + answer.body() + " instead of the stub's 200 " + BODY);
        }
    }
}
