package dev.ladle.examples.guide.services;

import dev.ladle.http.Status;
import dev.ladle.jackson.JacksonCodec;
import dev.ladle.route.Router;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A router beyond the todos: a literal beating a parameter, the rest of a path, filters, an exception answered as JSON. */
public final class CatalogApi {
    /** A book as the API reads and writes it. */
    public record Book(String isbn, String title, int year) {}

    /** The body of an error answer. */
    public record Problem(String title, String detail) {}

    private CatalogApi() {
    }

    /** Starts the server on a free loopback port; changes need {@code Authorization: Bearer <token>}. */
    public static Server start(String token) throws IOException {
        Map<String, Book> books = new ConcurrentHashMap<>();
        Server server = new Server();
        server.addBodyCodec(new JacksonCodec());
        // tag::router[]
        Router catalog = new Router()
                .get("/books/{isbn}", msg -> {
                    Book book = books.get(msg.getPathParameter("isbn"));
                    if (book == null) {
                        throw new NoSuchElementException("no book " + msg.getPathParameter("isbn"));
                    }
                    msg.setResponseValue(book); // application/json, through the Jackson codec
                })
                .get("/books/latest", msg -> msg.setResponseValue( // a literal segment beats {isbn}
                        books.values().stream().max(Comparator.comparingInt(Book::year)).orElseThrow()))
                .put("/books/{isbn}", msg -> {
                    books.put(msg.getPathParameter("isbn"), msg.getRequestBodyAs(Book.class)); // 415 unless JSON; 400 if bad
                    msg.setStatus(Status.NO_CONTENT);
                })
                .get("/shelves/{path...}", msg -> msg.setResponseValue("shelf " + msg.getPathParameter("path") + "\n"))
                .before(msg -> { // runs for every request the router gets; a status set here ends it
                    if (msg.getMethod().equals("PUT") && !("Bearer " + token).equals(msg.getRequestHeaders().getOne("Authorization"))) {
                        msg.setStatus(Status.UNAUTHORIZED);
                    }
                })
                .after(msg -> msg.getResponseHeaders().replace("Cache-Control", "no-store"))
                .exception(NoSuchElementException.class, (e, msg) ->
                        msg.setResponseValue(Status.NOT_FOUND, new Problem("not found", e.getMessage())));
        server.addHandler("/api", catalog); // GET /api/books/978-0-13-468599-1
        // end::router[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
