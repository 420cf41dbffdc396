package dev.ladle.examples.guide.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.todos.TodoService;
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

/** The todos service as chapter 5 shows it being asked: the answers its console sample prints. */
class TodoRoutesTest {
    private Server server;
    private HttpClient client;
    private URI todos;

    @BeforeEach
    void start() throws Exception {
        server = new TodoService().start(0);
        client = HttpClient.newHttpClient();
        todos = server.getUris().get(0).resolve("/todos");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpResponse<String> send(String method, URI uri, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), BodyHandlers.ofString());
    }

    @Test
    void theConsoleSampleOfTheChapter() throws Exception {
        HttpResponse<String> created = send("POST", todos, "{\"title\":\"Buy milk\",\"done\":false}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"id\":1,\"title\":\"Buy milk\",\"done\":false}");
        assertThat(send("GET", todos, null).body()).isEqualTo("[{\"id\":1,\"title\":\"Buy milk\",\"done\":false}]");
        HttpResponse<String> delete = send("DELETE", todos, null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
        HttpResponse<String> missing = send("GET", URI.create(todos + "/7"), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("no todo 7");
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void aJsonArrayIsReadAsAnArrayClass() throws Exception {
        server.addHandler("/bulk", (srv, msg, path, query) ->
                msg.setResponseValue(msg.getRequestBodyAs(TodoService.Todo[].class).length + " todos\n"));
        assertThat(send("POST", todos.resolve("/bulk"), "[{\"title\":\"a\",\"done\":false},{\"title\":\"b\",\"done\":true}]").body())
                .isEqualTo("2 todos\n");
    }
}
