package dev.ladle.examples.guide.http2;

import dev.ladle.server.Limits;
import dev.ladle.server.Server;

/** The guide's HTTP/2 chapter: a handler that says which protocol carried its request. */
public final class VersionServer {
    private VersionServer() {
    }

    /** A server (not yet listening) whose {@code /version} answers {@code HTTP/2} or {@code HTTP/1.1}. */
    public static Server create() {
        // tag::version[]
        Server server = new Server();
        server.addHandler("/version", (srv, msg, path, query) ->
                msg.setResponseValue(msg.getHttpVersion() + "\n")); // HTTP/2, HTTP/1.1 or HTTP/1.0
        // end::version[]
        return server;
    }

    /** Serves HTTP/1.1 only, on both kinds of listener. */
    public static void http1Only(Server server) {
        // tag::switches[]
        server.setHttp2Enabled(false); // https listeners offer only http/1.1 by ALPN
        server.setH2cEnabled(false);   // plain listeners refuse the HTTP/2 preface
        // end::switches[]
    }

    /** Fewer streams per connection and smaller stream windows than the defaults. */
    public static void smallerHttp2Limits(Server server) {
        // tag::limits[]
        server.setLimits(server.getLimits()
                .setMaxConcurrentStreams(50)              // default 100
                .setHttp2StreamWindow(256 * 1024));       // default 1 MiB
        // end::limits[]
    }
}
