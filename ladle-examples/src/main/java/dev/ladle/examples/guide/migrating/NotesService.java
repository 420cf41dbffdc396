package dev.ladle.examples.guide.migrating;

import com.sun.net.httpserver.HttpServer;
import dev.ladle.http.Status;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * One small service twice, for the migration chapter: notes kept in memory, {@code PUT /notes/NAME} to
 * write one and {@code GET /notes/NAME} to read it; first on the JDK's {@code HttpServer}, then on Ladle.
 */
public final class NotesService {
    private NotesService() {
    }

    // tag::jdk[]
    /** The service on the JDK's HttpServer, on the loopback address at {@code port} (0: a free one). */
    public static HttpServer startOnJdk(int port) throws IOException {
        Map<String, String> notes = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/notes/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/notes/".length());
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    String note = notes.get(name);
                    if (note == null) {
                        exchange.sendResponseHeaders(404, -1); // -1: no body
                    } else {
                        byte[] body = note.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                }
                case "PUT" -> {
                    notes.put(name, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> {
                    exchange.getResponseHeaders().set("Allow", "GET, PUT");
                    exchange.sendResponseHeaders(405, -1);
                }
            }
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // else one thread serves all
        server.start();
        return server;
    }
    // end::jdk[]

    // tag::ladle[]
    /** The same service on Ladle, on the loopback addresses at {@code port} (0: a free one). */
    public static Server startOnLadle(int port) throws IOException {
        Map<String, String> notes = new ConcurrentHashMap<>();
        Server server = new Server();
        server.addHandler("/notes/", (srv, msg, path, query) -> { // what is below /notes/
            String name = path.substring("/notes/".length());
            switch (msg.getMethod()) {
                case "GET" -> {
                    String note = notes.get(name);
                    if (note == null) {
                        msg.setStatus(Status.NOT_FOUND);
                    } else {
                        msg.setResponseValue(note); // 200, text/plain; charset=utf-8
                    }
                }
                case "PUT" -> {
                    notes.put(name, new String(msg.getRequestBody().flatten(), StandardCharsets.UTF_8));
                    msg.setStatus(Status.NO_CONTENT);
                }
                default -> {
                    msg.getResponseHeaders().replace("Allow", "GET, PUT");
                    msg.setStatus(Status.METHOD_NOT_ALLOWED);
                }
            }
        }); // sent when the handler returns
        server.listenLocal(port, Set.of()); // listening now; a virtual thread per connection
        return server;
    }
    // end::ladle[]
}
