package dev.ladle.examples.guide.limits;

import dev.ladle.http.Status;
import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/** A server with limits tightened for a public API that takes small JSON bodies. */
public final class LimitedServer {
    private LimitedServer() {
    }

    // tag::limits[]
    /** Limits for a public API: small requests, impatient with slow clients and slow handlers. */
    public static Limits apiLimits() {
        return new Limits()
                .setMaxRequestLineLength(2 * 1024)        // longer: 414 URI Too Long
                .setMaxHeaderSectionSize(16 * 1024)       // larger: 431 Request Header Fields Too Large
                .setMaxRequestBodySize(1024 * 1024)       // larger: 413 Content Too Large
                .setHeaderTimeout(Duration.ofSeconds(10)) // slower: 408 Request Timeout
                .setResponseTimeout(Duration.ofSeconds(5)) // a handler slower than this: 503 Service Unavailable
                .setMaxConnectionsPerAddress(100);        // more: 503 with Retry-After
    }
    // end::limits[]

    // tag::start[]
    /** Starts the API on the loopback addresses with {@code limits}; port 0 picks a free port. */
    public static Server start(int port, Limits limits) throws IOException {
        Server server = new Server();
        server.setLimits(limits); // a copy: later changes to `limits` do not reach the server
        server.addHandler("/echo", (srv, msg, path, query) -> {
            msg.setStatus(Status.OK);
            msg.setResponse("application/octet-stream", msg.getRequestBody().flatten());
        });
        server.addHandler("/slow", (srv, msg, path, query) -> {
            try {
                Thread.sleep(Duration.ofMinutes(1)); // a stuck database call, say
            } catch (InterruptedException e) {
                return; // the response timeout interrupts the handler after answering 503
            }
            msg.setResponseValue("done\n");
        });
        server.listenLocal(port, Set.of());
        return server;
    }
    // end::start[]
}
