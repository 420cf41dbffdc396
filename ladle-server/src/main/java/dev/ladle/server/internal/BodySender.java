package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Sends a response body through the exchange's {@link MessageIo}, whatever the protocol: a body that
 * was complete when the handler finished in as few pieces as it has (a small one as one array into
 * the head's write); a streamed one ({@code ex.streamingBody}) piece by piece as the handler appends
 * them, pausing the message whenever none is ready, until it completes the body (or, with an explicit
 * Content-Length, until that many bytes went out). File regions of a complete body go by
 * {@link MessageIo#writeFilePiece} where the protocol sends files directly, else read as chunks. A
 * compressed body ({@code ex.compressor}) goes through its {@link BodyCompressor} piece by piece; the
 * write events count the body's bytes before compression.
 */
final class BodySender {
    /** Complete bodies up to this size are written from one array; larger ones chunk by chunk. */
    private static final int FLAT_BODY_LIMIT = 64 * 1024;
    /** The most direct chunks one gathering write takes (4 MiB of pool blocks). */
    private static final int MAX_GATHERED = 32;

    private BodySender() {
    }

    static void send(Exchange ex, MessageIo io, ResponseWriter.Framing framing) throws IOException {
        MessageEvents events = ex.eventsIfAny();
        if (framing != ResponseWriter.Framing.NONE) {
            try {
                sendBody(ex, io, framing, events);
            } catch (UncheckedIOException e) {
                // a file region that could not be read (it shrank): the response is cut off
                throw e.getCause();
            }
            io.writeEnd(framing);
        }
        if (events != null && !events.wroteBody.isEmpty()) {
            // "wrote" means on the wire: a listener may steal the connection next
            io.flush();
            MessageEvents.run(events.wroteBody);
        }
    }

    private static void sendBody(Exchange ex, MessageIo io, ResponseWriter.Framing framing, MessageEvents events)
            throws IOException {
        MessageBody body = ex.responseBodyIfCreated();
        long declared = framing == ResponseWriter.Framing.LENGTH ? ex.responseLength : Long.MAX_VALUE;
        long offset = 0;
        BodyCompressor compressor = ex.compressor;
        // file regions go by sendfile where the connection can (and nothing compresses them); otherwise
        // they are read like chunks
        boolean files = body != null && !ex.streamingBody && compressor == null && io.sendsFiles()
                && BodyAccess.get().hasFiles(body);
        if (body != null && !files && !ex.streamingBody && body.getAccumulate() && body.length() <= FLAT_BODY_LIMIT
                && body.length() == declared) {
            offset = sendFlat(body, io, framing, events);
        }
        while (body != null && offset < declared) {
            FileRegion file = files ? BodyAccess.get().fileAt(body, offset) : null;
            if (file != null) {
                long n = Math.min(file.length(), declared - offset);
                io.writeFilePiece(framing, file.channel(), file.position(), n);
                offset += n;
                if (events != null) {
                    wroteFilePiece(events, framing, n);
                }
                continue;
            }
            ByteBuffer chunk = ex.streamingBody ? io.awaitChunk(ex, body, offset) : BodyAccess.get().chunkAt(body, offset);
            if (chunk == null || !chunk.hasRemaining()) {
                break;
            }
            if (chunk.remaining() > declared - offset) {
                chunk.limit(chunk.position() + (int) (declared - offset));
            }
            if (chunk.isDirect() && framing == ResponseWriter.Framing.LENGTH && !ex.streamingBody && io.gathersDirectPieces()) {
                offset += sendDirectRun(body, io, chunk, offset, declared, events);
                continue;
            }
            int n = chunk.remaining();
            if (compressor != null) {
                // a chunk a handler appended while streaming is flushed through, so it arrives now
                compressor.write(io, framing, chunk, ex.streamingBody);
            } else {
                io.writeBodyPiece(framing, chunk, offset + n == declared, ex.streamingBody);
            }
            offset += n;
            body.wroteChunk(chunk);
            if (events != null) {
                events.bodyData(n);
                if (framing == ResponseWriter.Framing.CHUNKED) {
                    MessageEvents.run(events.wroteChunk);
                }
            }
        }
        if (compressor != null) {
            compressor.finish(io, framing);
        }
        if (framing == ResponseWriter.Framing.LENGTH && offset < declared) {
            throw new java.io.EOFException("response body ended " + (declared - offset) + " bytes short of its Content-Length");
        }
    }

    /**
     * Sends {@code first} and the direct chunks that follow it (up to {@link #MAX_GATHERED}) with one
     * gathering write: a pooled request body echoed goes out in as few system calls as the socket takes.
     *
     * @return the bytes sent
     */
    private static long sendDirectRun(MessageBody body, MessageIo io, ByteBuffer first, long offset, long declared,
                                      MessageEvents events) throws IOException {
        java.util.List<ByteBuffer> run = new java.util.ArrayList<>(8);
        run.add(first);
        long end = offset + first.remaining();
        while (run.size() < MAX_GATHERED && end < declared) {
            ByteBuffer next = BodyAccess.get().chunkAt(body, end);
            if (next == null || !next.hasRemaining() || !next.isDirect()) {
                break;
            }
            if (next.remaining() > declared - end) {
                next.limit(next.position() + (int) (declared - end));
            }
            run.add(next);
            end += next.remaining();
        }
        io.writeDirectPieces(run.toArray(new ByteBuffer[0]));
        for (ByteBuffer piece : run) {
            body.wroteChunk(piece);
        }
        if (events != null) {
            events.bodyData((int) (end - offset));
        }
        return end - offset;
    }

    /** A complete small body: one array (no copy for a single chunk) into the head's write. */
    private static long sendFlat(MessageBody body, MessageIo io, ResponseWriter.Framing framing, MessageEvents events)
            throws IOException {
        byte[] all = body.flatten();
        io.writeBodyPiece(framing, ByteBuffer.wrap(all), true, false);
        if (events != null) {
            events.bodyData(all.length);
        }
        return all.length;
    }

    /** The write events of a file piece, whose length may pass what one {@code WroteBodyData} counts. */
    private static void wroteFilePiece(MessageEvents events, ResponseWriter.Framing framing, long n) {
        for (long left = n; left > 0; left -= Integer.MAX_VALUE) {
            events.bodyData((int) Math.min(left, Integer.MAX_VALUE));
        }
        if (framing == ResponseWriter.Framing.CHUNKED) {
            MessageEvents.run(events.wroteChunk);
        }
    }

}
