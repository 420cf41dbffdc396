package dev.ladle.httpd;

import java.net.URI;
import java.util.List;

/** What ladle-httpd runs until it is told to stop: the file server, or with {@code --mock} the mock server. */
interface Running extends AutoCloseable {
    /** The URIs it listens on, to print when ready. */
    List<URI> uris();

    /**
     * Starts draining: health checks answer 503, each connection closes after its next response, the
     * listeners stay open ({@link dev.ladle.server.Server#startDraining()}).
     */
    void startDraining();

    /** Stops accepting connections; requests in flight go on. */
    void disconnect();

    /** Stops: requests in flight finish or are cut, then everything is closed. */
    @Override
    void close();
}
