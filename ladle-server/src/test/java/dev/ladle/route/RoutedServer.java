package dev.ladle.route;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * A real {@link Server} on an ephemeral 127.0.0.1 port, for the router tests: a router registered at a
 * prefix (or as the default handler), and any other handlers the test adds to {@link #server}.
 */
final class RoutedServer implements AutoCloseable {
    final Server server = new Server();
    final URI uri;

    private RoutedServer(Limits limits, String prefix, Router router) throws IOException {
        server.setLimits(limits);
        server.addHandler(prefix, router);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        uri = server.getUris().get(0);
    }

    /** Starts a server with {@code router} as its default handler. */
    static RoutedServer start(Router router) throws IOException {
        return new RoutedServer(new Limits(), null, router);
    }

    /** Starts a server with {@code router} registered at {@code prefix}. */
    static RoutedServer start(String prefix, Router router) throws IOException {
        return new RoutedServer(new Limits(), prefix, router);
    }

    /** Starts a server with {@code limits} and {@code router} as its default handler. */
    static RoutedServer start(Limits limits, Router router) throws IOException {
        return new RoutedServer(limits, null, router);
    }

    ProtocolClient connect(Protocol protocol) throws IOException {
        return protocol.connect(uri);
    }

    @Override
    public void close() {
        server.close();
    }
}
