package dev.ladle.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ladle.codec.BodyCodec;
import dev.ladle.codec.MediaType;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * A {@link BodyCodec} for JSON through Jackson databind: reads {@code application/json} and every
 * {@code application/*+json} type (such as {@code application/problem+json}) as any class Jackson can
 * bind, records included, and writes values as {@code application/json}.
 *
 * <pre>{@code
 * server.addBodyCodec(new JacksonCodec());
 * server.addHandler("/orders", (s, msg, path, query) -> {
 *     Order order = msg.getRequestBodyAs(Order.class);     // 400 with the reason when the JSON is bad
 *     msg.setResponseValue(201, store.save(order));        // application/json
 * });
 * }</pre>
 *
 * <p>Strings and byte arrays are left to the built-in text and bytes codecs, both ways: a handler asking
 * for a {@code String} gets a JSON body as its raw text, and a {@code String} value is sent as
 * {@code text/plain}, not as a quoted JSON string.
 *
 * <p>Charset: JSON exchanged between systems is UTF-8 (RFC 8259 section 8.1), which Jackson reads (it also
 * detects UTF-16 and UTF-32); the written {@code Content-Type} carries no {@code charset}, since none is
 * defined for {@code application/json} (RFC 8259 section 11).
 *
 * <p>Bad input is the client's fault and a {@link StatusException} 400 whose reason says what is wrong,
 * where (a path such as {@code $.items[2].qty}) and at which line and column, in Jackson's words with
 * class names shortened, never a stack trace: malformed JSON, a value of the wrong type, a JSON
 * {@code null} body, or (with the default mapper) a property the class does not have. A class Jackson
 * cannot bind at all (no creator, no accessible constructor) is the application's bug and ends in a 500.
 *
 * <p>Thread-safe, as Jackson's mapper is once configured; configure a mapper before handing it over.
 */
public final class JacksonCodec implements BodyCodec {
    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    /** Creates a codec with {@link #defaultMapper()}. */
    public JacksonCodec() {
        this(defaultMapper());
    }

    /**
     * Creates a codec with the application's own mapper, used as it is configured (its handling of
     * unknown properties, dates and so on).
     *
     * @throws NullPointerException when {@code mapper} is null
     */
    public JacksonCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        // the caller of write closes the stream, not Jackson
        this.writer = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * Returns a new mapper set up for an HTTP API, what {@link #JacksonCodec()} uses:
     * <ul>
     *   <li>the Jackson modules found on the class or module path are registered
     *       ({@link JsonMapper.Builder#findAndAddModules()}), so {@code java.time} types work as soon as
     *       the application has {@code jackson-datatype-jsr310}, with nothing else to depend on; they are
     *       written as ISO-8601 text, not as numbers;</li>
     *   <li>records are bound through their canonical constructors, as Jackson does by itself;</li>
     *   <li>strict reading, because a client that sends what the server does not understand should hear
     *       so rather than have it dropped: an unknown property, a {@code null} or a missing value for a
     *       primitive, and anything after the JSON value are 400s.</li>
     * </ul>
     */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Returns the mapper this codec reads and writes with. */
    public ObjectMapper getMapper() {
        return mapper;
    }

    @Override
    public boolean canRead(MediaType mediaType, Class<?> type) {
        return isJson(mediaType) && !isLeftToBuiltIns(type);
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType.type().equals("application") && mediaType.hasSuffix("json");
    }

    private static boolean isLeftToBuiltIns(Class<?> type) {
        return CharSequence.class.isAssignableFrom(type) || type == byte[].class;
    }

    @Override
    public <T> T read(Class<T> type, MediaType mediaType, byte[] body) {
        T value;
        try {
            value = mapper.readValue(body, type);
        } catch (InvalidDefinitionException e) {
            // not the client's fault: the type cannot be bound whatever it sends
            throw new IllegalStateException("Jackson cannot read " + type.getName() + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new StatusException(Status.BAD_REQUEST, JsonErrors.reason(e), e);
        } catch (IOException e) {
            // a byte array does not fail to read
            throw new UncheckedIOException(e);
        }
        if (value == null) {
            throw new StatusException(Status.BAD_REQUEST, "the request body is JSON null; a value is needed");
        }
        return value;
    }

    @Override
    public List<MediaType> writeTypes(Class<?> type) {
        return isLeftToBuiltIns(type) ? List.of() : List.of(MediaType.APPLICATION_JSON);
    }

    @Override
    public void write(Object value, MediaType contentType, OutputStream out) throws IOException {
        writer.writeValue(out, value);
    }
}
