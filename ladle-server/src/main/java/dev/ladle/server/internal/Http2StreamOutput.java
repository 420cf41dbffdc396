package dev.ladle.server.internal;

import dev.ladle.server.internal.http2.Http2Stream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes DATA on an HTTP/2 stream, for a WebSocket carried by the stream (RFC 8441): each write waits
 * for the flow-control windows, so a peer that reads slowly slows the writer down.
 */
final class Http2StreamOutput extends OutputStream {
    private final Http2Stream stream;

    Http2StreamOutput(Http2Stream stream) {
        this.stream = stream;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            stream.writeData(ByteBuffer.wrap(b, off, len), false);
        }
    }

    @Override
    public void flush() throws IOException {
        stream.flush();
    }
}
