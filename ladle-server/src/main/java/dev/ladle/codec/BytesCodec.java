package dev.ladle.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The built-in codec for raw bytes: reads a body of any media type (or none) as a {@code byte[]}, and
 * writes a {@code byte[]} as {@code application/octet-stream}. To send bytes as another type, use
 * {@code ServerMessage.setResponse(contentType, bytes)}.
 */
public final class BytesCodec implements BodyCodec {

    /** Creates the codec (it holds no state). */
    public BytesCodec() {
    }

    @Override
    public boolean canRead(MediaType mediaType, Class<?> type) {
        return type == byte[].class;
    }

    @Override
    public <T> T read(Class<T> type, MediaType mediaType, byte[] body) {
        // a copy: the array may be the request body's own, which must not change under other readers
        return type.cast(body.clone());
    }

    @Override
    public List<MediaType> writeTypes(Class<?> type) {
        return type == byte[].class ? List.of(MediaType.APPLICATION_OCTET_STREAM) : List.of();
    }

    @Override
    public void write(Object value, MediaType contentType, OutputStream out) throws IOException {
        out.write((byte[]) value);
    }
}
