package dev.ladle.examples.guide.sockets;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The guide's sockets chapter: the ways a server can be given something to listen on. */
public final class SocketServer {
    private SocketServer() {
    }

    /** A server whose {@code /where} names the address the request came in on. */
    public static Server create() {
        Server server = new Server();
        server.addHandler("/where", (srv, msg, path, query) -> msg.setResponseValue("on " + msg.getLocalAddress() + "\n"));
        return server;
    }

    /** Listens on one IPv4 address, as a service bound to one interface would. */
    public static void onOneAddress(Server server, int port) throws IOException {
        // tag::address[]
        server.listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), Set.of());
        // end::address[]
    }

    /** Listens on the IPv4 loopback address only. */
    public static void localIpv4Only(Server server, int port) throws IOException {
        // tag::local-ipv4[]
        server.listenLocal(port, Set.of(ListenOption.IPV4_ONLY)); // 127.0.0.1 only, not ::1
        // end::local-ipv4[]
    }

    /** Listens on a Unix-domain socket at {@code socket}, replacing a stale file left by an earlier run. */
    public static void onUnixSocket(Server server, Path socket) throws IOException {
        // tag::unix[]
        Files.deleteIfExists(socket); // bind fails on an existing file, such as one a crashed run left
        server.listen(UnixDomainSocketAddress.of(socket), Set.of());
        // end::unix[]
    }

    /** Serves the listening socket systemd (or inetd, or any parent) passed as standard input. */
    public static void main(String[] args) throws IOException {
        // tag::inherited[]
        Server server = create();
        Channel inherited = System.inheritedChannel(); // standard input, when it is a socket
        if (!(inherited instanceof ServerSocketChannel listening)) {
            throw new IllegalStateException("standard input is not a listening socket; start me from a .socket unit");
        }
        server.listenSocket(listening, Set.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // systemctl stop sends SIGTERM
        System.out.println("ready"); // main returns; the listening server keeps the JVM running
        // end::inherited[]
    }
}
