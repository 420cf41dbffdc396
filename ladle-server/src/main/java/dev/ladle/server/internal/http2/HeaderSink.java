package dev.ladle.server.internal.http2;

/**
 * Receives the fields of a decoded header block, in the order they were sent. Called on the decoding
 * thread, synchronously from {@link HpackDecoder#decode}.
 */
@FunctionalInterface
public interface HeaderSink {
    /**
     * One field. Both strings map the octets one char per byte (ISO-8859-1); the name is exactly as sent,
     * so checking that it is lowercase and otherwise valid is the HTTP/2 layer's job.
     */
    void header(String name, String value);
}
