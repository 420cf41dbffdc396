package dev.ladle.examples.guide.balancers;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.TrustedProxies;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * A server made to run behind a load balancer: a health check that fails while it drains, the client's
 * address from a PROXY header or from a trusted proxy's {@code X-Forwarded-*} fields, and a drain on SIGTERM.
 */
public final class BalancedServer {
    // tag::grace[]
    /** How long a stopping server drains: longer than the balancer takes to notice (HAProxy: inter × fall). */
    public static final Duration GRACE = Duration.ofSeconds(3);
    // end::grace[]

    private BalancedServer() {
    }

    // tag::whoami[]
    /** Says who asked: the client, the balancer that relayed the request, and the URI the client used. */
    static final ServerCallback WHOAMI = (server, msg, path, query) -> msg.setResponseValue(
            "client " + msg.getRemoteHost() + "\n"     // the client, as the balancer tells it
            + "peer " + msg.getPeerAddress() + "\n"    // the balancer itself
            + "uri " + msg.getUri() + "\n");           // scheme and host as the client used them
    // end::whoami[]

    // tag::proxy-protocol[]
    /** Listens on the loopback addresses for a balancer that starts every connection with a PROXY header. */
    public static Server behindProxyProtocol(int port) throws IOException {
        Server server = new Server();
        server.addHealthHandler("/health"); // 200 "ok" while serving, 503 "draining" once draining
        server.addHandler("/whoami", WHOAMI);
        server.listenLocal(port, Set.of(ListenOption.PROXY_PROTOCOL));
        return server;
    }
    // end::proxy-protocol[]

    // tag::forwarded[]
    /** Listens on the loopback addresses behind a proxy at {@code proxy} that sets X-Forwarded-For and -Proto. */
    public static Server behindForwardingProxy(int port, String proxy) throws IOException {
        Server server = new Server();
        server.setTrustedProxies(TrustedProxies.of(proxy).withHeaders(TrustedProxies.Header.X_FORWARDED));
        server.setLimits(new Limits()
                .setIdleTimeout(Duration.ofSeconds(120))); // the default: longer than the proxy keeps idle connections
        server.addHealthHandler("/health");
        server.addHandler("/whoami", WHOAMI);
        server.listenLocal(port, Set.of());
        return server;
    }
    // end::forwarded[]

    // tag::main[]
    /** Serves behind HAProxy on the port {@code args[0]} until SIGTERM, then drains for {@link #GRACE} and stops. */
    public static void main(String[] args) throws IOException {
        Server server = behindProxyProtocol(Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.drain(GRACE)));
        System.out.println("listening on " + server.getUris());
    }
    // end::main[]
}
