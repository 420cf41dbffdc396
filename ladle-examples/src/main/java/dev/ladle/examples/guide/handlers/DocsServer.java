package dev.ladle.examples.guide.handlers;

import dev.ladle.http.Status;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;

/** Handlers chosen by path prefix: the longest registered prefix wins; {@code *} is only {@code OPTIONS *}. */
public final class DocsServer {
    private DocsServer() {
    }

    /** Starts the server on a free loopback port. */
    public static Server start() throws IOException {
        Server server = new Server();
        // tag::prefixes[]
        server.addHandler("/docs", (srv, msg, path, query) -> msg.setResponseValue("docs: " + path + "\n"));
        server.addHandler("/docs/drafts", (srv, msg, path, query) -> msg.setStatus(Status.FORBIDDEN));
        server.addHandler("*", (srv, msg, path, query) -> { // OPTIONS * and nothing else
            msg.getResponseHeaders().replace("Allow", "GET, HEAD, OPTIONS");
            msg.setStatus(Status.NO_CONTENT);
        });
        // end::prefixes[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
