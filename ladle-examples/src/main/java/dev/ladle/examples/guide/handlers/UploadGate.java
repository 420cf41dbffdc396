package dev.ladle.examples.guide.handlers;

import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.Set;

/** An upload endpoint whose early handler refuses a request before its body is sent. */
public final class UploadGate {
    /** The largest upload accepted, in bytes. */
    public static final long MAX_UPLOAD = 1024 * 1024;

    private UploadGate() {
    }

    /** Starts the server on a free loopback port; uploads must carry {@code Authorization: Bearer <token>}. */
    public static Server start(String token) throws IOException {
        Server server = new Server();
        // tag::gate[]
        server.addEarlyHandler("/upload", (srv, msg, path, query) -> {
            MessageHeaders headers = msg.getRequestHeaders();
            if (!("Bearer " + token).equals(headers.getOne("Authorization"))) {
                msg.getResponseHeaders().replace("WWW-Authenticate", "Bearer");
                msg.setStatus(Status.UNAUTHORIZED);
            } else if (headers.getContentLength() > MAX_UPLOAD) { // -1 when the length is not declared
                throw new StatusException(Status.CONTENT_TOO_LARGE, "uploads are limited to 1 MiB");
            }
        });
        server.addHandler("/upload", (srv, msg, path, query) ->
                msg.setResponseValue(Status.CREATED, "stored " + msg.getRequestBody().length() + " bytes\n"));
        // end::gate[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
