package dev.ladle.http;

/** How a message body is framed on the wire (libsoup's {@code SoupEncoding}). */
public enum Encoding {
    /** The headers name a framing Ladle does not understand. */
    UNRECOGNIZED,
    /** The message has no body. */
    NONE,
    /** The body length is given by {@code Content-Length}. */
    CONTENT_LENGTH,
    /** The body runs until the connection closes (responses to HTTP/1.0 clients only). */
    EOF,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** {@code multipart/byteranges}; never set by the server itself. */
    BYTE_RANGES
}
