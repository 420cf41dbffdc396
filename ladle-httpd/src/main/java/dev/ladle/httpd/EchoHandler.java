package dev.ladle.httpd;

import dev.ladle.http.MediaTypes;
import dev.ladle.http.MessageBody;
import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import java.util.Map;

/**
 * The {@code --echo PATH} handler: answers POST and PUT with the request body and its content type
 * ({@code application/octet-stream} when the request named none). The body is accumulated by the
 * server, so {@code --max-body} bounds it (413 beyond).
 */
final class EchoHandler implements ServerCallback {
    private static final String ALLOWED = "POST, PUT";

    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        String method = msg.getMethod();
        if (!method.equals("POST") && !method.equals("PUT")) {
            Responses.methodNotAllowed(msg, ALLOWED);
            return;
        }
        String type = msg.getRequestHeaders().getOne("Content-Type");
        MessageBody body = msg.getRequestBody();
        msg.setResponse(type == null ? MediaTypes.DEFAULT : type, body.flatten());
        msg.setStatus(Status.OK);
    }
}
