package dev.ladle.route;

import static dev.ladle.route.Texts.ok;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Limits;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A small todo service built on a {@link Router}, mounted under {@code /api}, driven by real clients: the
 * JDK's HttpClient over HTTP/1.1 (it has no h2c by prior knowledge) and OkHttp over h2c by prior knowledge.
 */
class RouterRealClientsTest {
    private static final int LIMIT = 64 * 1024;
    private static final int UPLOAD = 5 * 1024 * 1024;

    private final Map<String, String> todos = new ConcurrentHashMap<>();
    private RoutedServer server;
    private URI api;

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .get("/todos/{id}", msg -> {
                    String todo = todos.get(msg.getPathParameter("id"));
                    if (todo == null) {
                        throw new NoSuchElementException("no todo " + msg.getPathParameter("id"));
                    }
                    ok(msg, todo);
                })
                .put("/todos/{id}", msg -> {
                    todos.put(msg.getPathParameter("id"), new String(msg.getRequestBody().flatten(), UTF_8));
                    msg.setStatus(204);
                })
                .postStreaming("/uploads", msg -> {
                    long n;
                    try (InputStream in = msg.getRequestBodyStream()) {
                        n = in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    ok(msg, "stored " + n);
                })
                .post("/notes", msg -> ok(msg, "kept " + msg.getRequestBody().length()))
                .exception(NoSuchElementException.class, 404);
        server = RoutedServer.start("/api", router);
        server.server.setLimits(new Limits().setMaxRequestBodySize(LIMIT));
        api = server.uri.resolve("/api/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] upload() {
        byte[] body = new byte[UPLOAD];
        java.util.Arrays.fill(body, (byte) 'u');
        return body;
    }

    // ---- the JDK's HttpClient, HTTP/1.1 ------------------------------------------------------------

    private HttpResponse<String> jdk(HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void jdkClientPutsAndGetsATodo() throws Exception {
        HttpResponse<String> put = jdk(HttpRequest.newBuilder(api.resolve("todos/7"))
                .PUT(HttpRequest.BodyPublishers.ofString("buy milk")));
        assertThat(put.statusCode()).isEqualTo(204);
        HttpResponse<String> get = jdk(HttpRequest.newBuilder(api.resolve("todos/7")));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("buy milk");
        HttpResponse<String> missing = jdk(HttpRequest.newBuilder(api.resolve("todos/8")));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("no todo 8");
    }

    @Test
    void jdkClientGets405WithAllowAndAHeadWithoutBody() throws Exception {
        HttpResponse<String> delete = jdk(HttpRequest.newBuilder(api.resolve("todos/7")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        todos.put("7", "buy milk");
        HttpResponse<String> head = jdk(HttpRequest.newBuilder(api.resolve("todos/7"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("8");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void jdkClientStreamsAnUploadLargerThanTheLimitWith100Continue() throws Exception {
        HttpResponse<String> r = jdk(HttpRequest.newBuilder(api.resolve("uploads")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored " + UPLOAD);
    }

    @Test
    void jdkClientGets413NamingTheStreamingAlternativeFromAKeptRoute() throws Exception {
        HttpResponse<String> r = jdk(HttpRequest.newBuilder(api.resolve("notes")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload())));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("postStreaming").contains("getRequestBodyStream()");
    }

    // ---- OkHttp, h2c by prior knowledge -----------------------------------------------------------

    private static OkHttpClient okHttp() {
        return new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .readTimeout(30, TimeUnit.SECONDS).build();
    }

    @Test
    void okHttpOverH2cPutsGetsAndGets405() throws Exception {
        OkHttpClient client = okHttp();
        String base = api.toString();
        try (Response put = client.newCall(new Request.Builder().url(base + "todos/1")
                .put(RequestBody.create("walk dog", MediaType.get("text/plain"))).build()).execute()) {
            assertThat(put.code()).isEqualTo(204);
            assertThat(put.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
        }
        try (Response get = client.newCall(new Request.Builder().url(base + "todos/1").build()).execute()) {
            assertThat(get.body().string()).isEqualTo("walk dog");
        }
        try (Response delete = client.newCall(new Request.Builder().url(base + "todos/1").delete().build()).execute()) {
            assertThat(delete.code()).isEqualTo(405);
            assertThat(delete.header("Allow")).isEqualTo("GET, HEAD, PUT, OPTIONS");
        }
    }

    @Test
    void okHttpOverH2cStreamsAnUploadLargerThanTheLimit() throws Exception {
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public void writeTo(BufferedSink sink) throws java.io.IOException {
                // no length: DATA frames until END_STREAM
                byte[] block = new byte[64 * 1024];
                for (int sent = 0; sent < UPLOAD; sent += block.length) {
                    sink.write(block);
                }
            }
        };
        try (Response r = okHttp().newCall(new Request.Builder().url(api + "uploads").post(body).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("stored " + UPLOAD);
        }
    }
}
