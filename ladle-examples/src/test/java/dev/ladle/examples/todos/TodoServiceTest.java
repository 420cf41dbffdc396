package dev.ladle.examples.todos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The todos example, driven by the JDK HttpClient as its users would. */
class TodoServiceTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new TodoService().start(0);
        base = URI.create("http://127.0.0.1:" + server.getPort() + "/todos");
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void aPostedTodoCanBeReadListedUpdatedAndDeleted() throws Exception {
        HttpResponse<String> created = send("POST", base, "{\"title\":\"milk\",\"done\":false}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(created.body()).isEqualTo("{\"id\":1,\"title\":\"milk\",\"done\":false}");

        URI todo = URI.create(base + "/1");
        assertThat(send("GET", todo, null).body()).isEqualTo(created.body());
        HttpResponse<String> updated = send("PUT", todo, "{\"title\":\"milk\",\"done\":true}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(updated.body()).isEqualTo("{\"id\":1,\"title\":\"milk\",\"done\":true}");
        assertThat(send("GET", base, null).body()).isEqualTo("[" + updated.body() + "]");

        assertThat(send("DELETE", todo, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", todo, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", base, null).body()).isEqualTo("[]");
    }

    @Test
    void anUnknownOrMalformedIdIsNotFound() throws Exception {
        assertThat(send("GET", URI.create(base + "/7"), null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", URI.create(base + "/7"), "{\"title\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", URI.create(base + "/seven"), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", URI.create(base + "/99999999999999999999"), null).statusCode()).isEqualTo(404);
    }

    @Test
    void aMethodTheResourceDoesNotHaveIs405WithAllow() throws Exception {
        HttpResponse<String> list = send("DELETE", base, null);
        assertThat(list.statusCode()).isEqualTo(405);
        assertThat(list.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
        HttpResponse<String> one = send("POST", URI.create(base + "/1"), "{}");
        assertThat(one.statusCode()).isEqualTo(405);
        assertThat(one.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, DELETE, OPTIONS");
    }

    @Test
    void badJsonIs400WithTheReasonAndStoresNothing() throws Exception {
        HttpResponse<String> malformed = send("POST", base, "{\"title\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).startsWith("malformed JSON").doesNotContain("at com.", "Exception");
        HttpResponse<String> wrongType = send("POST", base, "{\"title\":\"x\",\"done\":\"maybe\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("done");
        assertThat(send("POST", base, "title=x", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
        assertThat(send("GET", base, null).body()).isEqualTo("[]");
    }

    private HttpResponse<String> send(String method, URI uri, String json) throws Exception {
        return send(method, uri, json, "application/json");
    }

    private HttpResponse<String> send(String method, URI uri, String body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", type);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }
}
