package dev.ladle.server.internal;

import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.websocket.WebSocketExtension;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The WebSocket step of the request pipeline: validates a handshake and runs the upgraded connection. */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    /**
     * Checks the handshake of {@code msg}; this build has no WebSocket engine, so every handshake is
     * refused with 400 and {@code Connection: close}.
     *
     * @return the upgrade to run after the 101 is written, or null when the handshake was refused
     */
    public static WebSocketUpgrade check(ServerMessage msg, HandlerEntry.WebSocketEndpoint endpoint,
                                         List<Class<? extends WebSocketExtension>> extensionTypes) {
        msg.setStatus(Status.BAD_REQUEST);
        msg.getResponseHeaders().replace("Connection", "close");
        msg.setResponse("text/plain; charset=utf-8", "WebSocket handshake refused\n".getBytes(StandardCharsets.UTF_8));
        return null;
    }

    /** Runs the upgraded connection on the calling thread until it closes. */
    public void run(Server server, ServerMessage msg, String path, InputStream in, OutputStream out, Closeable closer) {
        // never reached: check() refuses every handshake in this build
    }
}
