package dev.ladle.examples.guide;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * The JDK client (its defaults, as a reader of the guide would make it) aimed at one server, for the guide's
 * tests that send a request and look at the status, body and header fields. One per test; close it after.
 */
public final class GuideHttp implements AutoCloseable {
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI base;

    /** Sends to {@code base}, the server's first URI; a path is resolved against it. */
    public GuideHttp(URI base) {
        this.base = base;
    }

    /** The client itself, for a request these methods do not build. */
    public HttpClient client() {
        return client;
    }

    /** GETs {@code path} with {@code headers}, given as name, value, name, value... */
    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** POSTs {@code body} as {@code contentType}, or with no Content-Type field when it is null. */
    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return contentType == null ? send("POST", path, body) : send("POST", path, body, "Content-Type", contentType);
    }

    /** Sends {@code method} with {@code body} (null for none) and {@code headers}, given as name, value... */
    public HttpResponse<String> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    @Override
    public void close() {
        client.close();
    }
}
