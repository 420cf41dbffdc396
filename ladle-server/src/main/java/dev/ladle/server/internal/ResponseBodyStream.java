package dev.ladle.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The response body as a blocking stream. The first write (or {@link #flush()}, or {@link #close()})
 * sends the status line and headers (status 200 unless one was set; chunked unless a Content-Length
 * was); every write then goes to the socket, so a slow client slows the writer instead of filling
 * memory. {@link #close()} ends the body and unpauses the message. A compressed response's writes go
 * through its {@link BodyCompressor}: out as compressed pieces fill, and all of it at {@link #flush()}.
 */
final class ResponseBodyStream extends OutputStream {
    private final Exchange exchange;
    private ResponseWriter.Framing framing;
    private boolean closed;
    private long written;

    ResponseBodyStream(Exchange exchange) {
        this.exchange = exchange;
    }

    private void commit() throws IOException {
        if (closed) {
            throw new IOException("response body stream is closed");
        }
        if (framing == null) {
            framing = exchange.io.commitStreamingHead(exchange);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        commit();
        if (len == 0 || framing == ResponseWriter.Framing.NONE) {
            return;
        }
        BodyCompressor compressor = exchange.compressor;
        if (compressor != null) {
            // compressed bytes go out as pieces fill; flush() sends the rest written so far
            compressor.write(exchange.io, framing, ByteBuffer.wrap(b, off, len), false);
            written += len;
            wrote(len);
            return;
        }
        if (framing == ResponseWriter.Framing.LENGTH && written + len > exchange.responseLength) {
            throw new IOException("response body would exceed its Content-Length of " + exchange.responseLength);
        }
        written += len;
        exchange.io.writeBodyPiece(framing, ByteBuffer.wrap(b, off, len), false, true);
        wrote(len);
    }

    /** Fires the write events of {@code len} body bytes. */
    private void wrote(int len) {
        MessageEvents events = exchange.eventsIfAny();
        if (events != null) {
            events.bodyData(len);
            if (framing == ResponseWriter.Framing.CHUNKED) {
                MessageEvents.run(events.wroteChunk);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        commit();
        BodyCompressor compressor = exchange.compressor;
        if (compressor != null && framing != ResponseWriter.Framing.NONE) {
            compressor.flush(exchange.io, framing);
            return;
        }
        exchange.io.flush();
    }

    /** Returns true once the body was ended. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        commit();
        closed = true;
        try {
            if (framing == ResponseWriter.Framing.LENGTH && written < exchange.responseLength) {
                // the client would wait for the missing bytes: the connection cannot be reused
                exchange.closeAfterResponse = true;
                throw new IOException("response body ended " + (exchange.responseLength - written)
                        + " bytes short of its Content-Length");
            }
            BodyCompressor compressor = exchange.compressor;
            if (compressor != null && framing != ResponseWriter.Framing.NONE) {
                compressor.finish(exchange.io, framing);
            }
            exchange.io.writeEnd(framing);
            exchange.io.flush();
            MessageEvents events = exchange.eventsIfAny();
            if (events != null) {
                MessageEvents.run(events.wroteBody);
            }
        } finally {
            exchange.unpause();
        }
    }
}
