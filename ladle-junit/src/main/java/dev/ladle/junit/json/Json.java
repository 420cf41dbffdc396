package dev.ladle.junit.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads and writes JSON text (RFC 8259). Stateless and thread-safe.
 *
 * <pre>{@code
 * JsonValue body = Json.parse(request.body());
 * String text = Json.write(body);          // compact: {"id":7,"tags":["a","b"]}
 * String shown = Json.writePretty(body);   // two-space indents, one member or element a line
 * }</pre>
 *
 * <p><b>Reading</b> is strict: no comments, single quotes, trailing commas, leading zeros, {@code NaN}
 * or unquoted names. Duplicate member names are an error too (RFC 8259 leaves them open; a test is
 * better told than left to guess). An escaped unpaired surrogate (<code>"&#92;uDC00"</code>) is grammatical and
 * kept as it is; a raw unpaired surrogate character in a {@code String} is an error. Every error is a {@link JsonParseException} naming
 * the line, the column and what was expected; {@link JsonLimits} bound nesting depth and size, so
 * hostile input cannot overflow the stack.
 *
 * <p><b>Writing</b> escapes {@code "} and {@code \}, control characters (as {@code \n}, {@code \t}, ...
 * or {@code \}{@code u00XX}) and unpaired surrogates; other characters, {@code /} included, are written
 * as they are. Object members keep their order and numbers their notation, so
 * {@code Json.parse(Json.write(v)).equals(v)} for every value {@code v}, and writing the parse of a
 * compact text gives that text back.
 */
public final class Json {
    private Json() {
    }

    /**
     * Reads {@code text} as one JSON value, within {@link JsonLimits#DEFAULT}.
     *
     * @throws JsonParseException when it is not exactly one JSON value (surrounding whitespace aside)
     */
    public static JsonValue parse(String text) {
        return parse(text, JsonLimits.DEFAULT);
    }

    /**
     * Reads {@code text} as one JSON value, within {@code limits}.
     *
     * @throws JsonParseException when it is not exactly one JSON value or exceeds a limit
     */
    public static JsonValue parse(String text, JsonLimits limits) {
        return JsonReader.read(Objects.requireNonNull(text, "text"), Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Reads UTF-8 bytes (RFC 8259 §8.1: JSON exchanged between systems is UTF-8) as one JSON value, within
     * {@link JsonLimits#DEFAULT}.
     *
     * @throws JsonParseException when the bytes are not well-formed UTF-8, start with a byte order mark
     *     (which the RFC forbids senders to add), or do not hold exactly one JSON value
     */
    public static JsonValue parse(byte[] utf8) {
        return parse(utf8, JsonLimits.DEFAULT);
    }

    /**
     * Reads UTF-8 bytes as one JSON value, within {@code limits} ({@link JsonLimits#maxLength()} counts
     * the decoded characters).
     *
     * @throws JsonParseException as {@link #parse(byte[])} does, or when the text exceeds a limit
     */
    public static JsonValue parse(byte[] utf8, JsonLimits limits) {
        Objects.requireNonNull(utf8, "utf8");
        Objects.requireNonNull(limits, "limits");
        if (utf8.length >= 3 && (utf8[0] & 0xFF) == 0xEF && (utf8[1] & 0xFF) == 0xBB && (utf8[2] & 0xFF) == 0xBF) {
            throw new JsonParseException(1, 1, 0, "a byte order mark is not allowed before JSON text (RFC 8259 §8.1)");
        }
        // every UTF-16 character takes at most three UTF-8 bytes, so more bytes than this is surely too long
        if (utf8.length / 3 > limits.maxLength()) {
            throw new JsonParseException(1, 1, 0, "the text is longer than the limit of " + limits.maxLength() + " characters");
        }
        return JsonReader.read(decode(utf8), limits);
    }

    /** The compact JSON text of {@code value}: no whitespace between tokens. */
    public static String write(JsonValue value) {
        return JsonWriter.write(Objects.requireNonNull(value, "value"), false);
    }

    /**
     * The JSON text of {@code value} for people: each member and element on its own line, indented by two
     * spaces a level, a space after each {@code :}; empty objects and arrays stay {@code {}} and {@code []}.
     */
    public static String writePretty(JsonValue value) {
        return JsonWriter.write(Objects.requireNonNull(value, "value"), true);
    }

    /** Decodes strict UTF-8, naming where a malformed sequence starts. */
    private static String decode(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            int[] lineColumn = JsonReader.lineColumn(out, out.length());
            throw new JsonParseException(lineColumn[0], lineColumn[1], out.length(),
                    "invalid UTF-8: byte 0x" + String.format("%02X", utf8[in.position()] & 0xFF) + " at byte offset " + in.position());
        }
        out.flip();
        return out.toString();
    }
}
