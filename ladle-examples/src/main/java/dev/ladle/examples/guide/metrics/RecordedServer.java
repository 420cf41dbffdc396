package dev.ladle.examples.guide.metrics;

import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;

/** A server to record with Flight Recorder from the command line: {@code /hello} on the loopback addresses. */
public final class RecordedServer {
    private RecordedServer() {
    }

    /** Serves on the port {@code args[0]} (0: a free one, printed) until the process is stopped. */
    public static void main(String[] args) throws IOException {
        Server server = new Server();
        server.addHandler("/hello", (srv, msg, path, query) -> msg.setResponseValue("Hello!\n"));
        server.listenLocal(Integer.parseInt(args[0]), Set.of());
        System.out.println("listening on " + server.getUris().get(0));
    }
}
