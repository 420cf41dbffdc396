package dev.ladle.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A MIME multipart body (RFC 2046), such as {@code multipart/form-data} (RFC 7578) or
 * {@code multipart/byteranges}: libsoup's {@code SoupMultipart}, plus a streaming parser.
 *
 * <p><b>In memory.</b> A {@code Multipart} object is a list of {@linkplain Part parts} (headers and
 * bytes) with a media type and a boundary. Build one with {@link #appendPart}, {@link #appendFormString}
 * and {@link #appendFormFile} and serialize it with {@link #toByteArray()} or {@link #writeTo}; or parse
 * a complete body with {@link #fromMessage}. Not thread-safe.
 *
 * <p><b>Streaming.</b> {@link #parser(InputStream, String)} reads parts one at a time from a stream, each
 * with its headers and an {@code InputStream} of its content, holding only a fixed buffer: a file part
 * of any size is never held in memory. {@link #parse(InputStream, String, PartHandler)} does the same
 * with a callback. Parsing is strict about the framing (CRLF line ends, a closing delimiter) and bounded:
 * at most {@link #DEFAULT_MAX_PARTS} parts and {@link #DEFAULT_MAX_HEADER_SIZE} bytes of headers per
 * part unless other limits are given. A malformed body raises {@link FormatException}.
 */
public final class Multipart {
    /** The default largest number of parts a parser accepts. */
    public static final int DEFAULT_MAX_PARTS = 1000;

    /** The default largest header section of one part, in bytes, CRLFs included. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

    /** RFC 2046 section 5.1.1: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] CRLF = {'\r', '\n'};

    private final String mimeType;
    private final String boundary;
    private final List<Part> parts = new ArrayList<>();

    /**
     * Creates an empty multipart of type {@code mimeType} (for example {@code multipart/form-data}) with
     * a random boundary.
     *
     * @throws IllegalArgumentException when {@code mimeType} does not start with {@code multipart/}
     */
    public Multipart(String mimeType) {
        this(mimeType, randomBoundary());
    }

    /**
     * Creates an empty multipart with a given boundary.
     *
     * @throws IllegalArgumentException when {@code mimeType} does not start with {@code multipart/} or the
     *     boundary is not 1 to 70 printable ASCII characters (not ending in a space)
     */
    public Multipart(String mimeType, String boundary) {
        if (mimeType == null || !mimeType.regionMatches(true, 0, "multipart/", 0, 10) || mimeType.length() == 10) {
            throw new IllegalArgumentException("not a multipart media type: " + mimeType);
        }
        this.mimeType = mimeType;
        this.boundary = checkBoundary(boundary);
    }

    /**
     * Parses a complete multipart body held in memory (libsoup's {@code soup_multipart_new_from_message}).
     * The media type and boundary come from {@code headers}' {@code Content-Type}. For a body that may be
     * large, use {@link #parser(InputStream, String)} instead.
     *
     * @throws IllegalArgumentException when the Content-Type is not multipart with a valid boundary, or
     *     the body is malformed (the message says how), or it has more than {@link #DEFAULT_MAX_PARTS} parts
     */
    public static Multipart fromMessage(MessageHeaders headers, byte[] body) {
        String boundary = boundaryOf(headers);
        Multipart multipart = new Multipart(headers.getContentType(), boundary);
        try {
            Parser parser = parser(new ByteArrayInputStream(body), boundary);
            for (StreamingPart part = parser.next(); part != null; part = parser.next()) {
                multipart.parts.add(new Part(part.headers(), part.content().readAllBytes()));
            }
        } catch (IOException e) {
            // A byte array cannot fail to read: this is a FormatException.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return multipart;
    }

    /**
     * Returns the boundary of a {@code multipart/*} {@code Content-Type} in {@code headers}.
     *
     * @throws IllegalArgumentException when there is no Content-Type, it is not multipart, it has no
     *     {@code boundary} parameter, or the boundary is invalid
     */
    public static String boundaryOf(MessageHeaders headers) {
        String type = headers.getContentType();
        if (type == null || !type.regionMatches(true, 0, "multipart/", 0, 10) || type.length() == 10) {
            // "multipart/" alone names no subtype: the constructor refuses it too
            throw new IllegalArgumentException("Content-Type is not multipart: " + type);
        }
        String boundary = headers.getContentTypeParameters().get("boundary");
        if (boundary == null) {
            throw new IllegalArgumentException("Content-Type " + type + " has no boundary parameter");
        }
        return checkBoundary(boundary);
    }

    /** Returns the media type, such as {@code multipart/form-data}. */
    public String getMimeType() {
        return mimeType;
    }

    /** Returns the boundary (without the leading {@code --}). */
    public String getBoundary() {
        return boundary;
    }

    /** Returns the {@code Content-Type} value for the serialized body: the media type and its boundary. */
    public String getContentType() {
        return new HeaderValue(mimeType, Map.of("boundary", boundary)).format();
    }

    /** Returns the number of parts. */
    public int getLength() {
        return parts.size();
    }

    /**
     * Returns the part at {@code index}.
     *
     * @throws IndexOutOfBoundsException when there is no such part
     */
    public Part getPart(int index) {
        return parts.get(index);
    }

    /** Returns the parts, in order, as an unmodifiable view. */
    public List<Part> getParts() {
        return Collections.unmodifiableList(parts);
    }

    /** Adds a part; neither the headers nor the array are copied, so do not change them afterwards. */
    public void appendPart(MessageHeaders headers, byte[] body) {
        parts.add(new Part(Objects.requireNonNull(headers, "headers"), Objects.requireNonNull(body, "body")));
    }

    /**
     * Adds a form field: {@code Content-Disposition: form-data; name="..."} and the UTF-8 bytes of
     * {@code value} (libsoup's {@code soup_multipart_append_form_string}).
     *
     * @throws IllegalArgumentException when {@code name} holds a control character
     */
    public void appendFormString(String name, String value) {
        MessageHeaders headers = new MessageHeaders();
        headers.appendTrusted("Content-Disposition", formDisposition(name, null));
        appendPart(headers, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a file field: {@code Content-Disposition: form-data; name="..."; filename="..."}, a
     * {@code Content-Type} when {@code contentType} is not null, and the bytes.
     *
     * @param filename the file name to send (any Unicode; written as UTF-8), or null for none
     * @throws IllegalArgumentException when a name or the content type holds a control character
     */
    public void appendFormFile(String name, String filename, String contentType, byte[] body) {
        MessageHeaders headers = new MessageHeaders();
        headers.appendTrusted("Content-Disposition", formDisposition(name, filename));
        if (contentType != null) {
            headers.append("Content-Type", contentType);
        }
        appendPart(headers, body);
    }

    /**
     * Sets {@code Content-Type} (with the boundary) in {@code headers} and appends the serialized parts
     * to {@code body} (libsoup's {@code soup_multipart_to_message}). The body is not completed.
     */
    public void toMessage(MessageHeaders headers, MessageBody body) {
        headers.replace("Content-Type", getContentType());
        body.appendOwned(toByteArray());
    }

    /** Returns the serialized body. */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the serialized body: each part as a delimiter line, its headers (UTF-8), an empty line and
     * its bytes, then the closing delimiter.
     */
    public void writeTo(OutputStream out) throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.write(CRLF);
            }
            out.write(delimiter);
            out.write(CRLF);
            Part part = parts.get(i);
            StringBuilder head = new StringBuilder();
            part.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(part.body());
        }
        if (!parts.isEmpty()) {
            out.write(CRLF);
        }
        out.write(delimiter);
        out.write(new byte[] {'-', '-', '\r', '\n'});
    }

    // ---- streaming ------------------------------------------------------------------------------

    /**
     * Returns a parser reading the parts of a multipart body from {@code body}, with the default limits.
     *
     * @param boundary the boundary, from the {@code Content-Type} (see {@link #boundaryOf})
     * @throws IllegalArgumentException when the boundary is invalid
     */
    public static Parser parser(InputStream body, String boundary) {
        return parser(body, boundary, DEFAULT_MAX_PARTS, DEFAULT_MAX_HEADER_SIZE);
    }

    /**
     * Returns a parser reading the parts of a multipart body from {@code body}.
     *
     * @param maxParts the most parts accepted; one more is a {@link FormatException}
     * @param maxHeaderSize the largest header section of one part in bytes, CRLFs included
     * @throws IllegalArgumentException when the boundary is invalid or a limit is not positive
     */
    public static Parser parser(InputStream body, String boundary, int maxParts, int maxHeaderSize) {
        if (maxParts <= 0 || maxHeaderSize <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxParts=" + maxParts + ", maxHeaderSize=" + maxHeaderSize);
        }
        return new MultipartParser(Objects.requireNonNull(body, "body"), checkBoundary(boundary), maxParts, maxHeaderSize);
    }

    /**
     * Reads every part of a multipart body from {@code body} and hands each to {@code handler}, with the
     * default limits. Content the handler does not read is skipped. Reading stops after the closing
     * delimiter; the epilogue after it is not read.
     *
     * @return the number of parts
     * @throws FormatException when the body is malformed or over a limit
     * @throws IOException when reading fails or the handler throws it
     */
    public static int parse(InputStream body, String boundary, PartHandler handler) throws IOException {
        Parser parser = parser(body, boundary);
        int count = 0;
        for (StreamingPart part = parser.next(); part != null; part = parser.next()) {
            handler.handle(part);
            count++;
        }
        return count;
    }

    /**
     * Reads the parts of a multipart body one at a time. The content stream of a part is valid until the
     * next call to {@link #next()}, which skips whatever of it was not read. Not thread-safe. The parser
     * never closes the underlying stream.
     */
    public sealed interface Parser permits MultipartParser {
        /**
         * Advances to the next part.
         *
         * @return the part, or null after the closing delimiter
         * @throws FormatException when the body is malformed or over a limit
         * @throws IOException when reading fails
         */
        StreamingPart next() throws IOException;
    }

    /** Receives the parts of a body read by {@link #parse(InputStream, String, PartHandler)}. */
    @FunctionalInterface
    public interface PartHandler {
        /** Handles one part; its content stream is only valid during the call. */
        void handle(StreamingPart part) throws IOException;
    }

    /**
     * A part being read from a stream.
     *
     * @param headers the part's headers (values decoded as UTF-8, or ISO-8859-1 when not valid UTF-8)
     * @param content the part's content; reads {@code -1} at the part's end. Its {@code read} methods
     *     throw {@link FormatException} when the body ends before the next delimiter.
     */
    public record StreamingPart(MessageHeaders headers, InputStream content) {
        /** Returns the {@code name} of a {@code form-data} Content-Disposition, or null. */
        public String name() {
            return dispositionParameter(headers, "name");
        }

        /** Returns the {@code filename} of the Content-Disposition, or null. */
        public String filename() {
            return dispositionParameter(headers, "filename");
        }
    }

    /**
     * A part held in memory.
     *
     * @param headers the part's headers
     * @param body the part's content (not copied)
     */
    public record Part(MessageHeaders headers, byte[] body) {
        /** Returns the {@code name} of a {@code form-data} Content-Disposition, or null. */
        public String name() {
            return dispositionParameter(headers, "name");
        }

        /** Returns the {@code filename} of the Content-Disposition, or null. */
        public String filename() {
            return dispositionParameter(headers, "filename");
        }
    }

    /** A multipart body that breaks the format or a parser limit; the message says what and where. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /** Creates an exception with a message describing the problem. */
        public FormatException(String message) {
            super(message);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String dispositionParameter(MessageHeaders headers, String parameter) {
        HeaderValue disposition = headers.getContentDisposition();
        return disposition == null ? null : disposition.parameter(parameter);
    }

    /**
     * Checks a boundary: 1 to 70 characters (RFC 2046), printable ASCII or space, not ending in a space.
     * RFC 2046 allows fewer characters; the wider set costs nothing and accepts more clients.
     */
    static String checkBoundary(String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw new IllegalArgumentException("multipart boundary must be 1 to " + MAX_BOUNDARY_LENGTH + " characters long");
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("multipart boundary has an invalid character at index " + i);
            }
        }
        if (boundary.endsWith(" ")) {
            throw new IllegalArgumentException("multipart boundary must not end with a space");
        }
        return boundary;
    }

    private static String randomBoundary() {
        byte[] bytes = new byte[16];
        BoundaryRandom.RANDOM.nextBytes(bytes);
        return "ladle-" + HexFormat.of().formatHex(bytes);
    }

    /** Holds the random source, created on first use only. */
    private static final class BoundaryRandom {
        // Unpredictable, so content crafted by a client cannot contain the boundary of a body we build.
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private static String formDisposition(String name, String filename) {
        StringBuilder sb = new StringBuilder("form-data; name=");
        appendQuoted(sb, Objects.requireNonNull(name, "name"));
        if (filename != null) {
            sb.append("; filename=");
            appendQuoted(sb, filename);
        }
        return sb.toString();
    }

    private static void appendQuoted(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("form field name or file name has a control character at index " + i);
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
