package dev.ladle.examples.guide.handlers;

import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** What a client sees when a handler throws: a chosen status, or a bare 500. */
public final class OrderServer {
    private OrderServer() {
    }

    /** Starts the server on a free loopback port. */
    public static Server start(Map<String, String> orders) throws IOException {
        Server server = new Server();
        // tag::errors[]
        server.addHandler("/orders", (srv, msg, path, query) -> {
            String id = path.substring("/orders".length()).replaceFirst("^/", "");
            String order = orders.get(id);
            if (order == null) {
                throw new StatusException(Status.NOT_FOUND, "no order \"" + id + "\"");
            }
            msg.setResponseValue(order + "\n");
        });
        server.addHandler("/report", (srv, msg, path, query) -> {
            throw new IllegalStateException("jdbc:postgresql://db.internal/orders is down");
        });
        // end::errors[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
