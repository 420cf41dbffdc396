package dev.ladle.codec;

import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The body codecs of a server in the order they are asked, and the rules that pick one: for a request
 * body, the first codec that reads its {@code Content-Type} as the wanted class; for a response value,
 * the content type the request's {@code Accept} weighs highest among those the codecs write the value's
 * class as. Codecs added later come first; the built-in {@link TextCodec}, {@link BytesCodec} and
 * {@link FormCodec} always come last, so an added codec can take over any of their types.
 *
 * <p>The answers it gives on behalf of the client are {@link StatusException}s: 415 for a body no codec
 * reads, 400 (from the codec) for a malformed body, 406 for an {@code Accept} no codec satisfies.
 *
 * <p>Thread-safe: codecs may be added while requests are served.
 */
public final class BodyCodecs {
    private static final List<BodyCodec> BUILT_IN = List.of(new TextCodec(), new BytesCodec(), new FormCodec());

    /** The added codecs, the latest first. */
    private final List<BodyCodec> added = new CopyOnWriteArrayList<>();

    /** Creates a registry holding only the built-in codecs. */
    public BodyCodecs() {
    }

    /**
     * A value written by a codec: the response's {@code Content-Type} and body.
     *
     * @param contentType the content type, with its charset where it has one
     * @param body the encoded bytes
     */
    public record Encoded(MediaType contentType, byte[] body) {
    }

    /**
     * Adds {@code codec} in front of every codec there is: from now on it is asked first.
     *
     * @throws NullPointerException when {@code codec} is null
     */
    public void add(BodyCodec codec) {
        added.add(0, Objects.requireNonNull(codec, "codec"));
    }

    /** Returns the codecs in the order they are asked, the built-in ones last. */
    public List<BodyCodec> list() {
        List<BodyCodec> all = new ArrayList<>(added);
        all.addAll(BUILT_IN);
        return List.copyOf(all);
    }

    /**
     * Reads a request body as a {@code type} with the first codec that reads its content type as that.
     *
     * @param contentType the request's {@code Content-Type} field, or null when it has none (then the
     *     body is taken as {@code application/octet-stream})
     * @param body the whole body
     * @return the value, never null
     * @throws StatusException 415 when the content type is malformed or no codec reads it as a
     *     {@code type} (the reason names the content type); 400 (or another status) from the codec when the
     *     body is malformed
     * @throws NullPointerException when {@code type} or {@code body} is null
     */
    public <T> T read(String contentType, byte[] body, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        MediaType mediaType;
        try {
            mediaType = contentType == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parse(contentType);
        } catch (IllegalArgumentException e) {
            throw new StatusException(Status.UNSUPPORTED_MEDIA_TYPE, "the request's Content-Type is malformed: " + e.getMessage());
        }
        for (BodyCodec codec : list()) {
            if (codec.canRead(mediaType, type)) {
                T value = codec.read(type, mediaType, body);
                if (value == null) {
                    throw new IllegalStateException(codec.getClass().getName() + " read null");
                }
                return value;
            }
        }
        // the media type, not the Java class: the client can act on the first, the second is our business
        throw new StatusException(Status.UNSUPPORTED_MEDIA_TYPE, contentType == null
                ? "the request body needs a Content-Type"
                : "a request body of type " + mediaType.essence() + " is not accepted here");
    }

    /**
     * Writes {@code value} with the codec and content type the client's {@code Accept} weighs highest;
     * among equal weights the codec asked first, and its preferred type, win.
     *
     * @param value the value to send
     * @param accept the request's {@code Accept} (several fields joined with commas), or null when it has
     *     none (then anything is acceptable)
     * @throws StatusException 406 when codecs write the value but in no type the client accepts (the
     *     reason lists the types there are)
     * @throws IllegalArgumentException when no codec writes values of {@code value}'s class at all: a
     *     programming error, not the client's
     * @throws NullPointerException when {@code value} is null
     */
    public Encoded write(Object value, String accept) {
        Objects.requireNonNull(value, "value");
        AcceptHeader wanted = AcceptHeader.parse(accept);
        BodyCodec bestCodec = null;
        MediaType bestType = null;
        double bestQuality = 0;
        Set<String> offered = new LinkedHashSet<>();
        for (BodyCodec codec : list()) {
            for (MediaType type : codec.writeTypes(value.getClass())) {
                offered.add(type.essence());
                double q = wanted.quality(type);
                if (q > bestQuality) {
                    bestCodec = codec;
                    bestType = type;
                    bestQuality = q;
                }
            }
        }
        if (bestCodec == null) {
            if (offered.isEmpty()) {
                throw new IllegalArgumentException("no body codec writes a " + value.getClass().getName());
            }
            throw new StatusException(Status.NOT_ACCEPTABLE,
                    "the response cannot be sent as any type the Accept header allows; it can be sent as "
                    + String.join(", ", offered));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            bestCodec.write(value, bestType, out);
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail: this came from the codec itself
            throw new UncheckedIOException(e);
        }
        return new Encoded(bestType, out.toByteArray());
    }
}
