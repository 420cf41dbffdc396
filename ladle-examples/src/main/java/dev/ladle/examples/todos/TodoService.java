package dev.ladle.examples.todos;

import dev.ladle.http.Status;
import dev.ladle.jackson.JacksonCodec;
import dev.ladle.route.Router;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A JSON REST service of todos, kept in memory: the README's first example. */
public final class TodoService {
    /** A todo as the API reads and writes it; the server assigns {@code id}. */
    public record Todo(Long id, String title, boolean done) {}

    private final Map<Long, Todo> todos = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    /** Serves the todos on the loopback address at {@code port} (0 picks a free one). */
    public Server start(int port) throws IOException {
        Server server = new Server();
        // tag::todos[]
        server.addBodyCodec(new JacksonCodec());
        server.addHandler("/", new Router()
                .get("/todos", msg -> msg.setResponseValue(List.copyOf(todos.values())))
                .post("/todos", msg -> msg.setResponseValue(Status.CREATED, save(lastId.incrementAndGet(), msg)))
                .get("/todos/{id}", msg -> msg.setResponseValue(find(msg)))
                .put("/todos/{id}", msg -> msg.setResponseValue(save(find(msg).id(), msg)))
                .delete("/todos/{id}", msg -> {
                    todos.remove(find(msg).id());
                    msg.setStatus(Status.NO_CONTENT);
                })
                .exception(NoSuchElementException.class, Status.NOT_FOUND));
        // end::todos[]
        server.listenLocal(port, Set.of());
        return server;
    }

    private Todo find(ServerMessage msg) {
        String id = msg.getPathParameter("id");
        return Optional.ofNullable(id.matches("\\d{1,18}") ? todos.get(Long.parseLong(id)) : null)
                .orElseThrow(() -> new NoSuchElementException("no todo " + id));
    }

    private Todo save(long id, ServerMessage msg) {
        Todo sent = msg.getRequestBodyAs(Todo.class);
        Todo todo = new Todo(id, sent.title(), sent.done());
        todos.put(id, todo);
        return todo;
    }

    /** Runs the service on port 8080 until the process is stopped. */
    public static void main(String[] args) throws IOException {
        System.out.println("todos at " + new TodoService().start(8080).getUris().get(0) + "todos");
    }
}
