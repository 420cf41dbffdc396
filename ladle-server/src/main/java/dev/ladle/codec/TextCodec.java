package dev.ladle.codec;

import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;

/**
 * The built-in codec for text: reads a body as a {@link String} and writes any {@link CharSequence} as
 * {@code text/plain; charset=utf-8}.
 *
 * <p>It reads {@code text/*} and the textual application types: {@code application/json},
 * {@code application/xml} and every {@code +json} or {@code +xml} type (so a handler can take a JSON
 * body as raw text). The body is decoded with the {@code charset} of the {@code Content-Type}, else
 * UTF-8: RFC 9110 gives text no default charset any more, RFC 8259 makes JSON UTF-8, and UTF-8 is what
 * clients send today. Decoding is strict: bytes that are not valid in the charset are a 400 naming the
 * charset and the offset, rather than text quietly holding U+FFFD; a charset this JVM does not know is a
 * 415.
 */
public final class TextCodec implements BodyCodec {

    /** Creates the codec (it holds no state). */
    public TextCodec() {
    }

    @Override
    public boolean canRead(MediaType mediaType, Class<?> type) {
        return type == String.class && isText(mediaType);
    }

    private static boolean isText(MediaType mediaType) {
        return mediaType.type().equals("text")
                || mediaType.type().equals("application") && (mediaType.hasSuffix("json") || mediaType.hasSuffix("xml"));
    }

    @Override
    public <T> T read(Class<T> type, MediaType mediaType, byte[] body) {
        return type.cast(decode(body, charsetOf(mediaType)));
    }

    /**
     * Returns the charset of {@code mediaType}, UTF-8 when it names none.
     *
     * @throws StatusException 415 when the charset is unknown to this JVM
     */
    static Charset charsetOf(MediaType mediaType) {
        try {
            return mediaType.charset(StandardCharsets.UTF_8);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new StatusException(Status.UNSUPPORTED_MEDIA_TYPE,
                    "charset \"" + mediaType.parameter("charset") + "\" is not supported");
        }
    }

    /**
     * Decodes {@code body} strictly.
     *
     * @throws StatusException 400 when the bytes are not valid text in {@code charset}
     */
    static String decode(byte[] body, Charset charset) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            // the decoder stops at the first bad byte: its position is what the client needs to look at
            throw new StatusException(Status.BAD_REQUEST,
                    "the request body is not valid " + charset.name() + " text (at byte " + in.position() + ")");
        }
    }

    @Override
    public List<MediaType> writeTypes(Class<?> type) {
        return CharSequence.class.isAssignableFrom(type) ? List.of(MediaType.TEXT_PLAIN_UTF_8) : List.of();
    }

    @Override
    public void write(Object value, MediaType contentType, OutputStream out) throws IOException {
        out.write(value.toString().getBytes(StandardCharsets.UTF_8));
    }
}
