package dev.ladle.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The child of {@link KeepsJvmRunningTest}: starts a server, prints its URI and returns from
 * {@code main}, leaving a virtual thread (a daemon) to close the server when "close" arrives on its
 * standard input. Nothing calls {@code System.exit}: the JVM ends when nothing keeps it running.
 */
public final class ListeningMain {
    private ListeningMain() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        Server server = new Server();
        server.addHandler("/", (srv, msg, path, query) -> msg.setResponseValue("still here\n"));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("close")) {
                        server.close();
                    } else if (line.equals("disconnect")) {
                        server.disconnect();
                    }
                }
            } catch (IOException e) {
                // the test went away
            }
        });
        System.out.println(server.getUris().get(0));
    }
}
