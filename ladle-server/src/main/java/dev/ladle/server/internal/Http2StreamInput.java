package dev.ladle.server.internal;

import dev.ladle.server.internal.http2.Http2Stream;
import java.io.IOException;
import java.io.InputStream;

/** The DATA of an HTTP/2 stream as a blocking stream, for a WebSocket carried by the stream (RFC 8441). */
final class Http2StreamInput extends InputStream {
    private final Http2Stream stream;

    Http2StreamInput(Http2Stream stream) {
        this.stream = stream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : stream.read(b, off, len);
    }
}
