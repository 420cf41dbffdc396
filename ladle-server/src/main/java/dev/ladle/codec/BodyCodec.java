package dev.ladle.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Reads request bodies of some media types as Java values, and writes some Java values as response
 * bodies: the piece of a format that {@code ServerMessage.getRequestBodyAs} and
 * {@code ServerMessage.setResponseValue} use. Added to a server with {@code Server.addBodyCodec}; the
 * {@link BodyCodecs} of the server picks one codec per body.
 *
 * <p>A codec may read and write different things, or only one of the two: {@link #canRead} false
 * everywhere makes a write-only codec, {@link #writeTypes} empty everywhere a read-only one.
 *
 * <p>Bad input: {@link #read} throws a {@link dev.ladle.http.StatusException}, usually 400 Bad Request,
 * whose reason tells the client what is wrong with its body (never internals, never a stack trace); the
 * server answers with it. Any other exception from a codec is a bug in the codec and ends in a 500.
 *
 * <p>Codecs are shared by all the server's connections: their methods are called from many threads at
 * once and must be thread-safe.
 */
public interface BodyCodec {

    /**
     * Returns true when this codec reads a body of {@code mediaType} as a {@code type}.
     *
     * @param mediaType the request's {@code Content-Type}, with its parameters; a request without one
     *     is asked about as {@link MediaType#APPLICATION_OCTET_STREAM} (RFC 9110 section 8.3)
     * @param type the class the handler asked for
     */
    boolean canRead(MediaType mediaType, Class<?> type);

    /**
     * Reads {@code body} as a {@code type}; called only when {@link #canRead} said yes.
     *
     * @param type the class the handler asked for
     * @param mediaType the request's {@code Content-Type}, with its parameters (its {@code charset}, a
     *     multipart {@code boundary})
     * @param body the whole request body; it may be the request's own array: read it, do not change it
     * @return the value, never null
     * @throws dev.ladle.http.StatusException when the body is not a valid {@code type} in
     *     {@code mediaType} (400, or 415 for a charset the codec cannot decode): the reason says why
     */
    <T> T read(Class<T> type, MediaType mediaType, byte[] body);

    /**
     * Returns the content types this codec writes a value of {@code type} as, the one it prefers first;
     * empty when it does not write such values. Each is the whole {@code Content-Type} of the response,
     * with a {@code charset} where the type has one (as {@code text/plain; charset=utf-8}).
     */
    List<MediaType> writeTypes(Class<?> type);

    /**
     * Writes {@code value} as {@code contentType}, one of {@link #writeTypes} for its class, to
     * {@code out} (which the caller closes).
     *
     * @throws IOException when {@code out} fails
     */
    void write(Object value, MediaType contentType, OutputStream out) throws IOException;
}
