package dev.ladle.server;

import dev.ladle.http.Status;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The handler of {@link Server#addHealthHandler}: 200 while the server serves, 503 once it drains, so
 * that a load balancer's health checks take it out of rotation before it closes.
 */
final class HealthHandler implements ServerCallback {
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "draining\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        String method = msg.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            msg.getResponseHeaders().replace("Allow", "GET, HEAD");
            msg.setStatus(Status.METHOD_NOT_ALLOWED);
            return;
        }
        // a cache between the balancer and us must not hide that we started draining
        msg.getResponseHeaders().replace("Cache-Control", "no-store");
        boolean draining = server.isDraining();
        msg.setResponse("text/plain", draining ? DRAINING : OK);
        msg.setStatus(draining ? Status.SERVICE_UNAVAILABLE : Status.OK);
    }
}
