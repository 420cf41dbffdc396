package dev.ladle.httpd;

import dev.ladle.files.RootDirectory;
import dev.ladle.server.Compression;
import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A running ladle-httpd: the {@link Server} with its handlers, auth domain, TLS settings and listeners,
 * put together from the command line.
 */
final class Httpd implements Running {
    /** How long a graceful stop waits for requests in flight. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final Path unixSocket;

    private Httpd(Server server, Path unixSocket) {
        this.server = server;
        this.unixSocket = unixSocket;
    }

    /**
     * Builds and starts the server described by {@code options}.
     *
     * @throws StartupException when something named on the command line cannot be used (the root, a
     *     certificate, an address); nothing is left listening then
     */
    static Httpd start(HttpdCommand options) {
        RootDirectory root = openRoot(options.root);
        Server server = new Server();
        try {
            server.setLimits(new Limits()
                    .setMaxRequestBodySize(options.maxBody)
                    .setShutdownTimeout(SHUTDOWN_TIMEOUT));
            // HTTP/2 is on by default in the core: h2 through ALPN on https, h2c by prior knowledge on plain
            server.setHttp2Enabled(!options.noHttp2);
            server.setH2cEnabled(!options.noHttp2);
            FileHandler files = new FileHandler(root, options.allowPut, !options.noFileCache);
            server.addEarlyHandler("/", new UploadHandler(root, options.maxBody, options.allowPut, files.allowed()));
            server.addHandler("/", files);
            if (options.echo != null) {
                server.addHandler(options.echo, new EchoHandler());
            }
            if (options.metrics != null) {
                server.addHandler(options.metrics, new PrometheusMetrics());
            }
            if (options.wsEcho != null) {
                WebSocketEcho.install(server, options.wsEcho, options.wsOrigin, options.wsProtocols, options.wsMaxMessage);
            }
            if (options.balancer.health != null) {
                server.addHealthHandler(options.balancer.health);
            }
            if (options.auth != null) {
                AuthSetup.install(server, options.auth, options.users, options.authPath, options.balancer.health,
                        NonceKey.read(options.balancer.nonceKeyFile));
            }
            if (options.tlsCert != null) {
                TlsSetup.configure(server, options.tlsCert, options.tlsKey, options.clientCert.mode, options.trust);
                TlsSetup.configureRevocation(server, options.crls, options.ocsp, options.ocspResponder, options.revocationSoftFail);
                // HttpdCommand.checkFlags has checked the profile's lists
                server.setTlsProfile(options.tlsProfile());
            }
            server.setTrustedProxies(options.balancer.trustedProxies());
            if (options.hsts != null) {
                // on https listeners, and on requests a trusted proxy says came over https
                server.setStrictTransportSecurity(Duration.ofSeconds(options.hsts), false);
            }
            if (options.accessLog) {
                new AccessLog(System.out).install(server);
            }
            if (options.compress) {
                server.setCompression(Compression.DEFAULT);
            }
            boolean tcp = options.unix == null || options.isSet("--port");
            Set<ListenOption> plain = options.balancer.tcpListenOptions();
            if (tcp) {
                listen(server, options.bind, options.port, plain);
            }
            if (options.tlsCert != null) {
                EnumSet<ListenOption> https = EnumSet.copyOf(plain);
                https.add(ListenOption.HTTPS);
                listen(server, options.bind, options.httpsPort, https);
            }
            if (options.unix != null) {
                listenUnix(server, options.unix);
            }
            return new Httpd(server, options.unix);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static void listen(Server server, String bind, int port, Set<ListenOption> options) {
        try {
            switch (bind) {
                case "local" -> server.listenLocal(port, options);
                case "all" -> server.listenAll(port, options);
                default -> server.listen(new InetSocketAddress(address(bind), port), options);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static InetAddress address(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new StartupException("cannot listen on '" + bind + "': not local, all, or a known address");
        }
    }

    /**
     * Listens on a Unix-domain socket. A socket file left by a process that died is replaced; one that
     * still accepts connections, or any other kind of file, is an error.
     */
    private static void listenUnix(Server server, Path path) {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(path)) {
                throw new StartupException("cannot listen on " + path + ": the file exists and is not a socket");
            }
            if (accepts(address)) {
                throw new StartupException("cannot listen on " + path + ": another server is listening there");
            }
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw new StartupException("cannot listen on " + path + ": cannot remove the stale socket: " + e.getMessage());
            }
        }
        try {
            server.listen(address, Set.of());
        } catch (IOException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static boolean accepts(UnixDomainSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open(address)) {
            return probe.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }

    private static boolean isSocket(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the URIs the server listens on, http first, then https, then the Unix-domain socket. */
    @Override
    public List<URI> uris() {
        return server.getUris();
    }

    @Override
    public void startDraining() {
        server.startDraining();
    }

    /** Stops accepting connections; requests in flight go on. */
    @Override
    public void disconnect() {
        server.disconnect();
    }

    /**
     * Stops the server: no new connections, open WebSocket connections are closed with 1001, requests
     * in flight get up to {@link #SHUTDOWN_TIMEOUT}, then the Unix-domain socket file (if any) is removed.
     */
    @Override
    public void close() {
        server.close();
        if (unixSocket != null) {
            try {
                Files.deleteIfExists(unixSocket);
            } catch (IOException e) {
                System.getLogger(Httpd.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot remove the socket file {0}: {1}", unixSocket, e.toString());
            }
        }
    }

    /** Opens the served directory; what is wrong with it is a startup error, reported in one line. */
    private static RootDirectory openRoot(Path root) {
        try {
            return new RootDirectory(root);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }
}
