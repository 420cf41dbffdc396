package dev.ladle.examples.guide.services;

import dev.ladle.files.StaticFiles;
import dev.ladle.server.Compression;
import dev.ladle.server.Server;
import dev.ladle.sse.Event;
import dev.ladle.sse.EventStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A site: static files and a report file, compressed for clients that take it, and live prices as Server-Sent Events. */
public final class SiteServer implements AutoCloseable {
    private final Server server = new Server();
    private final Set<EventStream> watchers = ConcurrentHashMap.newKeySet();

    private SiteServer(Path site, Path reports) throws IOException {
        // tag::files[]
        server.addHandler("/", new StaticFiles(site).setCacheControl("max-age=60")); // GET and HEAD
        server.addHandler("/report", (srv, msg, path, query) ->
                msg.setResponseFile(reports.resolve("latest.csv"), "text/csv; charset=utf-8"));
        // end::files[]
        // tag::compression[]
        server.setCompression(Compression.DEFAULT); // gzip or deflate; text, JSON, XML, SVG; 1 KiB and up
        // end::compression[]
        // tag::events[]
        server.addHandler("/prices", (srv, msg, path, query) -> {
            msg.setCompression(Compression.OFF);        // a long-lived stream holds no compressor
            EventStream events = EventStream.open(msg); // 200, text/event-stream, Cache-Control: no-store
            watchers.add(events);
            events.onClose(() -> watchers.remove(events)); // the client left, or the stream was closed
        });                                             // the handler returns; the stream stays open
        // end::events[]
        server.listenLocal(0, Set.of());
    }

    /** Serves {@code site} at {@code /} and {@code reports/latest.csv} at {@code /report} on a free loopback port. */
    public static SiteServer start(Path site, Path reports) throws IOException {
        return new SiteServer(site, reports);
    }

    /** The server's first address. */
    public URI uri() {
        return server.getUris().get(0);
    }

    // tag::publish[]
    /** Sends a price to every open stream, from any thread: a send queues the event and never blocks. */
    public void publish(String symbol, String price, long id) {
        Event event = Event.of("price", symbol + " " + price).withId(Long.toString(id));
        for (EventStream events : watchers) {
            try {
                events.send(event);
            } catch (IOException closed) {
                // the client left or fell too far behind; onClose removes it
            }
        }
    }
    // end::publish[]

    @Override
    public void close() {
        server.close(); // ends the open event streams too
    }
}
