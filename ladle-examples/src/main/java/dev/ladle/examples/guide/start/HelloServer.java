package dev.ladle.examples.guide.start;

// tag::hello[]
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;

/** The guide's first server: one handler that greets whoever asks. */
public final class HelloServer {
    /** Starts the server on the loopback addresses at {@code port}; 0 picks a free port. */
    public static Server start(int port) throws IOException {
        Server server = new Server();
        server.addHandler("/hello", (srv, msg, path, query) -> {
            String name = query == null ? null : query.get("name");
            msg.setResponseValue("Hello, " + (name == null ? "world" : name) + "!\n"); // 200, text/plain; charset=utf-8
        });
        server.listenLocal(port, Set.of());
        return server;
    }

    /** Serves until the process is stopped, printing where. */
    public static void main(String[] args) throws IOException {
        Server server = start(8080);
        server.getUris().forEach(uri -> System.out.println("listening on " + uri));
    }
}
// end::hello[]
