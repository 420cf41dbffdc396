package dev.ladle.codec;

import dev.ladle.http.Forms;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Multipart;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in codec for HTML forms; it only reads. What it reads:
 * <ul>
 *   <li>{@code application/x-www-form-urlencoded} and {@code multipart/form-data} bodies as a
 *       {@link Form}, or as a {@code Map<String, String>} ({@code Map.class}) of the last value of each
 *       field, as {@link Forms#decode} gives;</li>
 *   <li>any {@code multipart/*} body as a {@link Multipart}, every part's headers and bytes, for uploads
 *       that fit in memory (larger ones: {@link Forms#decodeMultipart} from an early handler).</li>
 * </ul>
 * URL-encoded data is decoded as {@link Forms} does (UTF-8; the type defines no charset). A multipart
 * part counts as a field when its {@code Content-Disposition} names it; its text is decoded with the
 * part's own {@code charset}, else UTF-8, replacing bytes that are not valid text as browsers do. A
 * malformed body (a bad percent-escape, a broken multipart structure, a missing boundary) is a 400 saying
 * what is wrong.
 */
public final class FormCodec implements BodyCodec {

    /** Creates the codec (it holds no state). */
    public FormCodec() {
    }

    @Override
    public boolean canRead(MediaType mediaType, Class<?> type) {
        if (type == Multipart.class) {
            return mediaType.type().equals("multipart");
        }
        return (type == Form.class || type == Map.class)
                && (mediaType.is(Forms.MIME_TYPE_URLENCODED) || mediaType.is(Forms.MIME_TYPE_MULTIPART));
    }

    @Override
    public <T> T read(Class<T> type, MediaType mediaType, byte[] body) {
        try {
            if (type == Multipart.class) {
                return type.cast(multipart(mediaType, body));
            }
            Form form = mediaType.is(Forms.MIME_TYPE_URLENCODED)
                    ? new Form(Forms.decodeMulti(new String(body, StandardCharsets.UTF_8)))
                    : fields(multipart(mediaType, body));
            return type.cast(type == Form.class ? form : form.toMap());
        } catch (IllegalArgumentException e) {
            // Forms and Multipart say what is malformed and where, in words meant for the sender
            throw new StatusException(Status.BAD_REQUEST, "malformed form data: " + e.getMessage());
        }
    }

    private static Multipart multipart(MediaType mediaType, byte[] body) {
        MessageHeaders headers = new MessageHeaders();
        headers.append("Content-Type", mediaType.toString());
        return Multipart.fromMessage(headers, body);
    }

    private static Form fields(Multipart multipart) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Multipart.Part part : multipart.getParts()) {
            String name = part.name();
            if (name != null) {
                String charset = part.headers().getContentTypeParameters().get("charset");
                String text = new String(part.body(), charset == null ? StandardCharsets.UTF_8 : charsetOr(charset));
                fields.computeIfAbsent(name, n -> new ArrayList<>(1)).add(text);
            }
        }
        return new Form(fields);
    }

    /** A part's charset this JVM does not know is read as UTF-8, like a part without one. */
    private static java.nio.charset.Charset charsetOr(String name) {
        try {
            return java.nio.charset.Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    @Override
    public List<MediaType> writeTypes(Class<?> type) {
        return List.of();
    }

    @Override
    public void write(Object value, MediaType contentType, OutputStream out) {
        throw new UnsupportedOperationException("the form codec only reads");
    }
}
