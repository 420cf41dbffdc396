package dev.ladle.server.internal;

import dev.ladle.server.internal.http2.Http2Stream;
import java.io.IOException;
import java.util.List;

/**
 * The request body of an HTTP/2 stream: the payload of its DATA frames, which the stream buffers only
 * up to its flow-control window, so a handler that reads slowly slows the client down.
 */
final class Http2BodyReader implements BodyReader {
    private final Http2Stream stream;

    Http2BodyReader(Http2Stream stream) {
        this.stream = stream;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return stream.read(dst, off, len);
    }

    @Override
    public boolean isDone() {
        return stream.isRequestBodyDone();
    }

    @Override
    public long remaining() {
        return stream.requestBodyRemaining();
    }

    @Override
    public List<String> trailers() {
        return stream.trailers();
    }
}
