package dev.ladle.httpd;

import dev.ladle.junit.MockServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code ladle-httpd --mock DIR}: a standalone mock server (ladle-junit's {@link MockServer}) that serves
 * the WireMock-style mapping files under {@code DIR}, with WireMock's admin API under {@code /__admin/},
 * for tests written in other languages. Only the mock server's classes are used: nothing of JUnit is
 * loaded (the jar does not even hold it).
 */
final class MockHttpd implements Running {
    private final MockServer mock;

    private MockHttpd(MockServer mock) {
        this.mock = mock;
    }

    /**
     * Loads the mappings and starts listening.
     *
     * @throws StartupException when the directory is missing, a mapping file is not valid (the message
     *     names the file and the field) or the address cannot be used
     */
    static MockHttpd start(HttpdCommand options) {
        if (!Files.isDirectory(options.mock)) {
            throw new StartupException("--mock " + options.mock + ": not a directory");
        }
        InetSocketAddress address = new InetSocketAddress(address(options.bind), options.port);
        try {
            MockServer.Builder builder = MockServer.builder().address(address).mappings(options.mock).adminApi();
            if (options.noHttp2) {
                builder.http1Only();
            }
            if (options.mockProxy != null) {
                builder.proxyUnmatchedTo(options.mockProxy);
            }
            if (options.accessLog) {
                builder.configure(server -> new AccessLog(System.out).install(server));
            }
            return new MockHttpd(builder.start());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // a mapping file outside the subset, an unreadable file, a taken port, a --mock-proxy that is not http
            throw new StartupException(e.getMessage());
        }
    }

    /** {@code local} is 127.0.0.1 here (one listener), {@code all} 0.0.0.0, else the address named. */
    private static InetAddress address(String bind) {
        try {
            return switch (bind) {
                case "local" -> InetAddress.getByName("127.0.0.1");
                case "all" -> InetAddress.getByName("0.0.0.0");
                default -> InetAddress.getByName(bind);
            };
        } catch (UnknownHostException e) {
            throw new StartupException("cannot listen on '" + bind + "': not local, all, or a known address");
        }
    }

    @Override
    public List<URI> uris() {
        return List.of(mock.uri());
    }

    @Override
    public void startDraining() {
        mock.server().startDraining();
    }

    @Override
    public void disconnect() {
        mock.server().disconnect();
    }

    /** Stops at once: answers still waiting (delays, faults that stall) are cut. */
    @Override
    public void close() {
        mock.close();
    }
}
