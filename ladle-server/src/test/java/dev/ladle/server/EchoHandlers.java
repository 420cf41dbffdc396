package dev.ladle.server;

import dev.ladle.http.MessageBody;
import java.nio.ByteBuffer;

/**
 * Handlers that answer 200 with the request body, each sending it back its own way, for the body tests
 * over either protocol and over TLS:
 * <ul>
 *   <li>{@code /appendShared}: the response shares the request body ({@code MessageBody.appendShared});</li>
 *   <li>{@code /shared}: the response takes each of its chunks ({@code appendOwned} of each {@code getChunk});</li>
 *   <li>{@code /flat}: the body flattened into one array ({@code setResponse}).</li>
 * </ul>
 */
public final class EchoHandlers {
    private static final String OCTETS = "application/octet-stream";

    private EchoHandlers() {
    }

    /** Adds the three handlers to {@code server}. */
    public static void addTo(Server server) {
        server.addHandler("/appendShared", (s, msg, path, query) -> {
            msg.getResponseBody().appendShared(msg.getRequestBody());
            msg.getResponseHeaders().replace("Content-Type", OCTETS);
            msg.setStatus(200);
        });
        server.addHandler("/shared", (s, msg, path, query) -> {
            MessageBody request = msg.getRequestBody();
            MessageBody response = msg.getResponseBody();
            for (long at = 0; at < request.length(); ) {
                ByteBuffer chunk = request.getChunk(at);
                response.appendOwned(chunk);
                at += chunk.remaining();
            }
            msg.getResponseHeaders().replace("Content-Type", OCTETS);
            msg.setStatus(200);
        });
        server.addHandler("/flat", (s, msg, path, query) -> {
            msg.setResponse(OCTETS, msg.getRequestBody().flatten());
            msg.setStatus(200);
        });
    }
}
