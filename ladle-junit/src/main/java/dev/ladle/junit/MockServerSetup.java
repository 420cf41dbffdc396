package dev.ladle.junit;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsCertificate;
import dev.ladle.tls.TlsDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a {@link MockServer.Builder} collected, and the start of a server from it: the Ladle
 * {@link Server} configured, the mapping files read, the listener opened, the proxy and the admin API
 * set up. Not thread-safe: a builder is used by one thread.
 */
final class MockServerSetup {
    TlsCertificate certificate;
    Consumer<Server> configuration = s -> { };
    boolean http1Only;
    TlsAuthMode clientAuth = TlsAuthMode.NONE;
    TlsDatabase clientTrust;
    InetSocketAddress address;
    URI proxyTarget;
    final List<Path> mappings = new ArrayList<>();
    boolean adminApi;

    /** See {@link MockServer.Builder#start()} for what it throws. */
    MockServer start() {
        if (clientAuth != TlsAuthMode.NONE && certificate == null) {
            throw new IllegalStateException("client certificates need HTTPS: call https() as well");
        }
        Server server = configuredServer();
        List<Mapping> initial = new ArrayList<>();
        try {
            mappings.forEach(m -> initial.addAll(MappingFiles.read(m)));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        MockServer mock = new MockServer(server, this);
        initial.forEach(m -> m.register(mock));
        if (proxyTarget != null) {
            mock.proxyUnmatchedTo(proxyTarget);
        }
        if (adminApi) {
            AdminApi.install(mock, mappings);
        }
        return mock;
    }

    /**
     * Opens the listener of {@code server}, whose handlers are in place: on {@link #address}, or a
     * free port of {@code 127.0.0.1}.
     *
     * @return the base URI
     * @throws IllegalStateException when it cannot listen (the server is then closed)
     */
    URI listen(Server server) {
        Set<ListenOption> options = EnumSet.of(ListenOption.IPV4_ONLY);
        if (certificate != null) {
            options.add(ListenOption.HTTPS);
        }
        try {
            if (address == null) {
                server.listenLocal(0, options);
            } else {
                options.remove(ListenOption.IPV4_ONLY);
                server.listen(address, options);
            }
        } catch (IOException e) {
            server.close();
            throw new IllegalStateException("mock server could not listen on "
                    + (address == null ? "127.0.0.1" : address) + ": " + e.getMessage(), e);
        }
        return server.getUris().get(0);
    }

    private Server configuredServer() {
        Server server = new Server();
        if (certificate != null) {
            server.setTlsCertificate(certificate);
        }
        if (clientAuth != TlsAuthMode.NONE) {
            server.setTlsDatabase(clientTrust);
            server.setTlsAuthMode(clientAuth);
        }
        if (http1Only) {
            server.setHttp2Enabled(false);
            server.setH2cEnabled(false);
        }
        configuration.accept(server);
        return server;
    }
}
