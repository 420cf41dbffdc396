package dev.ladle.examples.guide.streaming;

import dev.ladle.http.Status;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A handler that pauses its message and answers from another thread when a future completes. */
public final class QuoteServer {
    private QuoteServer() {
    }

    /** Starts the server on a free loopback port; {@code quotes} fetches a quote asynchronously. */
    public static Server start(Supplier<CompletableFuture<String>> quotes) throws IOException {
        Server server = new Server();
        // tag::pause[]
        server.addHandler("/quote", (srv, msg, path, query) -> {
            msg.pause(); // returning now sends nothing
            quotes.get().whenComplete((quote, failure) -> {
                if (failure == null) {
                    msg.setResponseValue(quote + "\n");
                } else {
                    msg.setStatus(Status.BAD_GATEWAY);
                }
                msg.unpause(); // the response goes out
            });
        });
        // end::pause[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
