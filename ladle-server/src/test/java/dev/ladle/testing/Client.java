package dev.ladle.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The real clients the body tests of ladle-server and ladle-jackson run with (shared through
 * ladle-server's test jar, which holds this package only), for {@code @EnumSource(Client.class)}: the JDK's
 * {@link HttpClient} over HTTP/1.1, and OkHttp over HTTP/2 with prior knowledge (h2c), which the JDK's
 * client cannot speak. Each sends one request and returns the whole response.
 */
public enum Client {
    /** The JDK's HttpClient, HTTP/1.1. */
    JDK_HTTP_1_1,
    /** OkHttp, HTTP/2 by prior knowledge on the plain listener. */
    OKHTTP_H2C;

    /**
     * A response as the tests look at it.
     *
     * @param status the status code
     * @param contentType the Content-Type, or null
     * @param body the body
     * @param protocol {@code HTTP/1.1} or {@code h2}: what the exchange really used
     */
    public record Reply(int status, String contentType, byte[] body, String protocol) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final OkHttpClient OKHTTP = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).readTimeout(Duration.ofSeconds(20)).build();

    /** Sends a GET with the given {@code Accept} (null for none). */
    public Reply get(URI uri, String accept) throws IOException, InterruptedException {
        return send(uri, "GET", null, null, accept);
    }

    /** Sends a POST of {@code body} as {@code contentType} (null: no Content-Type field at all). */
    public Reply post(URI uri, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(uri, "POST", contentType, body, null);
    }

    /** Sends a POST of {@code text} as UTF-8. */
    public Reply post(URI uri, String contentType, String text) throws IOException, InterruptedException {
        return post(uri, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one request.
     *
     * @param body the body, or null for none
     * @param contentType the Content-Type, or null for none
     * @param accept the Accept, or null for none
     */
    public Reply send(URI uri, String method, String contentType, byte[] body, String accept)
            throws IOException, InterruptedException {
        if (this == JDK_HTTP_1_1) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).method(method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (accept != null) {
                b.header("Accept", accept);
            }
            HttpResponse<byte[]> r = JDK.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(),
                    r.version() == HttpClient.Version.HTTP_1_1 ? "HTTP/1.1" : "h2");
        }
        Request.Builder b = new Request.Builder().url(uri.toString());
        b.method(method, body == null ? null
                : RequestBody.create(body, contentType == null ? null : okhttp3.MediaType.get(contentType)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try (Response r = OKHTTP.newCall(b.build()).execute()) {
            return new Reply(r.code(), r.header("Content-Type"), r.body().bytes(),
                    r.protocol() == Protocol.HTTP_1_1 ? "HTTP/1.1" : "h2");
        }
    }
}
