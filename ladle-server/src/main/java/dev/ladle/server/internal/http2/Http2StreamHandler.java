package dev.ladle.server.internal.http2;

/** Answers one request stream; the integrator plugs its request pipeline in here. */
@FunctionalInterface
public interface Http2StreamHandler {
    /**
     * Serves a request stream. Runs on its own new virtual thread per request stream (started by the
     * engine). When it returns or throws, the engine ends the stream: a response not ended is reset with
     * INTERNAL_ERROR, a request body not fully received is cut off with RST_STREAM NO_ERROR after our
     * END_STREAM. A thrown exception is logged, never sent to the client.
     *
     * @param stream the stream, with its validated request
     * @throws Exception any failure; logged at DEBUG (I/O) or WARNING (other)
     */
    void serve(Http2Stream stream) throws Exception;
}
