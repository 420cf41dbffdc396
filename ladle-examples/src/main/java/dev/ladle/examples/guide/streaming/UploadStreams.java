package dev.ladle.examples.guide.streaming;

import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/** Request bodies read as they arrive, never held whole in memory: as a stream, and chunk by chunk. */
public final class UploadStreams {
    private UploadStreams() {
    }

    /** Starts the server on a free loopback port. */
    public static Server start() throws IOException {
        Server server = new Server();
        // tag::stream[]
        server.addEarlyHandler("/sha256", (srv, msg, path, query) -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream body = msg.getRequestBodyStream()) {
                body.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
            }
            msg.setResponseValue(HexFormat.of().formatHex(sha.digest()) + "\n");
        });
        // end::stream[]
        // tag::chunks[]
        server.addEarlyHandler("/lines", (srv, msg, path, query) -> {
            msg.getRequestBody().setAccumulate(false); // keep nothing: each piece is seen once
            LongAdder lines = new LongAdder();
            msg.onGotChunk(chunk -> {
                while (chunk.hasRemaining()) {
                    if (chunk.get() == '\n') {
                        lines.increment();
                    }
                }
            });
            msg.onGotBody(() -> msg.setResponseValue(lines.sum() + " lines\n"));
        });
        // end::chunks[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
