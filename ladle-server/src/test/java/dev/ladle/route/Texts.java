package dev.ladle.route;

import dev.ladle.server.ServerMessage;
import java.nio.charset.StandardCharsets;

/** Short answers for the router tests' handlers. */
final class Texts {
    private Texts() {
    }

    /** Answers 200 with {@code text} as {@code text/plain}. */
    static void ok(ServerMessage msg, String text) {
        msg.setResponse("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        msg.setStatus(200);
    }
}
