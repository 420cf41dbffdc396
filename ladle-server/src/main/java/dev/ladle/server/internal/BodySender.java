package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sends a response body through the exchange's {@link MessageIo}, whatever the protocol: a body that
 * was complete when the handler finished in as few pieces as it has (a small one as one array into
 * the head's write); a streamed one ({@code ex.streamingBody}) piece by piece as the handler appends
 * them, pausing the message whenever none is ready, until it completes the body (or, with an explicit
 * Content-Length, until that many bytes went out).
 */
final class BodySender {
    /** Complete bodies up to this size are written from one array; larger ones chunk by chunk. */
    private static final int FLAT_BODY_LIMIT = 64 * 1024;

    private BodySender() {
    }

    static void send(Exchange ex, MessageIo io, ResponseWriter.Framing framing) throws IOException {
        MessageEvents events = ex.eventsIfAny();
        if (framing != ResponseWriter.Framing.NONE) {
            MessageBody body = ex.responseBodyIfCreated();
            long declared = framing == ResponseWriter.Framing.LENGTH ? ex.responseLength : Long.MAX_VALUE;
            long offset = 0;
            if (body != null && !ex.streamingBody && body.getAccumulate() && body.length() <= FLAT_BODY_LIMIT
                    && body.length() == declared) {
                // a complete small body: one array (no copy for a single chunk) into the head's write
                byte[] all = body.flatten();
                io.writeBodyPiece(framing, ByteBuffer.wrap(all), true, false);
                offset = all.length;
                if (events != null) {
                    events.bodyData(all.length);
                }
            }
            while (body != null && offset < declared) {
                ByteBuffer chunk = ex.streamingBody ? io.awaitChunk(ex, body, offset) : body.getChunk(offset);
                if (chunk == null || !chunk.hasRemaining()) {
                    break;
                }
                if (chunk.remaining() > declared - offset) {
                    chunk.limit(chunk.position() + (int) (declared - offset));
                }
                int n = chunk.remaining();
                io.writeBodyPiece(framing, chunk, offset + n == declared, ex.streamingBody);
                offset += n;
                body.wroteChunk(chunk);
                if (events != null) {
                    events.bodyData(n);
                    if (framing == ResponseWriter.Framing.CHUNKED) {
                        MessageEvents.run(events.wroteChunk);
                    }
                }
            }
            if (framing == ResponseWriter.Framing.LENGTH && offset < declared) {
                throw new java.io.EOFException("response body ended " + (declared - offset) + " bytes short of its Content-Length");
            }
            io.writeEnd(framing);
        }
        if (events != null && !events.wroteBody.isEmpty()) {
            // "wrote" means on the wire: a listener may steal the connection next
            io.flush();
            MessageEvents.run(events.wroteBody);
        }
    }
}
