package dev.ladle.httpd;

import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.nio.charset.StandardCharsets;

/** Short plain-text answers (errors, 201 Created), the same everywhere in the CLI. */
final class Responses {
    private Responses() {
    }

    /** Sets {@code status} with a one-line text body naming it ({@code 404 Not Found}). */
    static void plain(ServerMessage msg, int status) {
        msg.setStatus(status);
        msg.setResponse("text/plain; charset=utf-8",
                (status + " " + Status.phrase(status) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Answers 405 with the {@code Allow} header listing {@code allowed}. */
    static void methodNotAllowed(ServerMessage msg, String allowed) {
        msg.getResponseHeaders().replace("Allow", allowed);
        plain(msg, Status.METHOD_NOT_ALLOWED);
    }
}
