package dev.ladle.examples.guide.streaming;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ladle.server.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Responses written as they are produced: of unknown length (chunked), or large with a known length. */
public final class DownloadStreams {
    private DownloadStreams() {
    }

    /** Starts the server on a free loopback port; the countdown waits {@code tick} between lines. */
    public static Server start(Duration tick) throws IOException {
        Server server = new Server();
        // tag::chunked[]
        server.addHandler("/countdown", (srv, msg, path, query) -> {
            msg.getResponseHeaders().setContentType("text/plain", Map.of("charset", "utf-8"));
            try (Writer out = new OutputStreamWriter(msg.getResponseBodyStream(), UTF_8)) {
                for (int i = 3; i > 0; i--) {
                    out.write(i + "\n");
                    out.flush(); // the client sees each line now
                    Thread.sleep(tick);
                }
                out.write("liftoff\n");
            }
        });
        // end::chunked[]
        // tag::sized[]
        server.addHandler("/zeros", (srv, msg, path, query) -> {
            long size = Long.parseLong(msg.getQueryParameters().getOrDefault("size", "0"));
            msg.getResponseHeaders().setContentLength(size); // sent as is: no chunks
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = msg.getResponseBodyStream()) {
                for (long left = size; left > 0; left -= block.length) {
                    out.write(block, 0, (int) Math.min(block.length, left)); // blocks while the client is slow
                }
            }
        });
        // end::sized[]
        // tag::ranges[]
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz".getBytes(UTF_8);
        server.addHandler("/alphabet", (srv, msg, path, query) -> {
            msg.setResponse("text/plain", alphabet); // not copied: never change it
            msg.setStatus(200); // a GET with Range: bytes=0-4 gets 206 and "abcde"
        });
        // end::ranges[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
