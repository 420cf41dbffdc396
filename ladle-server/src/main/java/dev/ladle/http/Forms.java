package dev.ladle.http;

import dev.ladle.server.ServerMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTML form data: {@code application/x-www-form-urlencoded} (decode and encode) and
 * {@code multipart/form-data} uploads (libsoup's {@code soup_form_*}).
 *
 * <p>URL-encoded forms follow libsoup: pairs are separated by {@code &}, a pair without {@code =} is
 * dropped, {@code +} is a space, percent-escapes are decoded and the resulting bytes read as UTF-8
 * (malformed UTF-8 becomes U+FFFD). Unlike libsoup, which silently drops a pair holding a bad escape, a
 * form with a bad escape ({@code %zz}, a truncated {@code %4}) is rejected as a whole, as libsoup's
 * server rejects such a query with 400.
 *
 * <p>All methods are static and thread-safe.
 */
public final class Forms {
    /** The media type of URL-encoded form data. */
    public static final String MIME_TYPE_URLENCODED = "application/x-www-form-urlencoded";

    /** The media type of multipart form data (RFC 7578). */
    public static final String MIME_TYPE_MULTIPART = "multipart/form-data";

    /** The default limit on the text fields {@link #decodeMultipart} keeps in memory, all together: 1 MiB. */
    public static final long DEFAULT_MAX_TEXT_SIZE = 1024 * 1024;

    private Forms() {
    }

    /**
     * Decodes URL-encoded form data (a query string or a request body) into a map. When a name repeats,
     * the last value wins; use {@link #decodeMulti} to keep them all.
     *
     * @param form the encoded data, without a leading {@code ?}; an empty string gives an empty map
     * @return a new mutable map in the order names first appear
     * @throws IllegalArgumentException when the data holds a bad percent-escape; the message says where
     * @throws NullPointerException when {@code form} is null
     */
    public static Map<String, String> decode(String form) {
        Map<String, String> fields = new LinkedHashMap<>();
        forEachPair(form, fields::put);
        return fields;
    }

    /**
     * Decodes URL-encoded form data keeping every value of a repeated name, in order.
     *
     * @return a new mutable map in the order names first appear; each list holds at least one value
     * @throws IllegalArgumentException when the data holds a bad percent-escape
     * @throws NullPointerException when {@code form} is null
     */
    public static Map<String, List<String>> decodeMulti(String form) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        forEachPair(form, (name, value) -> fields.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value));
        return fields;
    }

    /**
     * Encodes {@code fields} as URL-encoded form data, in the map's iteration order. ASCII letters,
     * digits, {@code -}, {@code _} and {@code .} are kept, a space becomes {@code +}, and every other
     * character is percent-encoded as UTF-8 (as libsoup does).
     *
     * @throws NullPointerException when a name or value is null
     */
    public static String encode(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, value) -> appendPair(sb, name, value));
        return sb.toString();
    }

    /**
     * Encodes a multi-valued form: each value of a name gives one {@code name=value} pair, in order.
     *
     * @throws NullPointerException when a name, a value list or a value is null
     */
    public static String encodeMulti(Map<String, ? extends Collection<String>> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, values) -> {
            for (String value : values) {
                appendPair(sb, name, value);
            }
        });
        return sb.toString();
    }

    /**
     * Decodes the {@code multipart/form-data} body of a request, streaming: text fields are kept in
     * memory (at most {@link #DEFAULT_MAX_TEXT_SIZE} bytes in all) and the part named
     * {@code fileControlName} is written to a temporary file, so an upload of any size never sits in
     * the heap. Same as {@link #decodeMultipart(ServerMessage, String, Path, long)} with the default
     * temporary directory and text limit.
     *
     * @throws StatusException for what the client sent wrong, which the server answers with that status
     *     when the handler lets it go (see {@link #decodeMultipart(ServerMessage, String, Path, long, long)})
     * @throws IOException when reading the body fails
     */
    public static MultipartForm decodeMultipart(ServerMessage msg, String fileControlName) throws IOException {
        return decodeMultipart(msg, fileControlName, null, DEFAULT_MAX_TEXT_SIZE, Long.MAX_VALUE);
    }

    /**
     * Same as {@link #decodeMultipart(ServerMessage, String, Path, long, long)} with no limit on the
     * file's size.
     *
     * @throws StatusException for what the client sent wrong (see the five-argument method)
     * @throws IOException when reading the body fails
     * @throws IllegalArgumentException when {@code maxTextSize} is negative
     */
    public static MultipartForm decodeMultipart(ServerMessage msg, String fileControlName, Path directory, long maxTextSize)
            throws IOException {
        return decodeMultipart(msg, fileControlName, directory, maxTextSize, Long.MAX_VALUE);
    }

    /**
     * Decodes the {@code multipart/form-data} body of a request (libsoup's
     * {@code soup_form_decode_multipart}).
     *
     * <p>Every part whose {@code Content-Disposition} is {@code form-data} with a {@code name} counts;
     * others are skipped. The part named {@code fileControlName} is streamed to a new temporary file
     * (owner-only permissions where the file system has them) described by
     * {@link MultipartForm#file()}; if that name repeats, the last part wins. Every other part is a text
     * field, decoded with the charset of its {@code Content-Type} or UTF-8, last value winning.
     *
     * <p>Where the body comes from: in a normal handler the server has already read the body into
     * {@link ServerMessage#getRequestBody()}, and it is parsed from there. In an early handler, or the
     * handler of a streaming route ({@code dev.ladle.route.Router.postStreaming}), the body has not been
     * read yet, so this method reads it straight from {@link ServerMessage#getRequestBodyStream()}: that
     * is the way to accept uploads larger than the server's body limit or the heap. The body is then consumed, so a normal handler at the same path
     * sees it empty; the early handler should set the status itself.
     *
     * <p>The temporary file is deleted when the exchange finishes (the message's {@code Finished} event)
     * or when {@link MultipartForm#close()} is called, whichever comes first: move it elsewhere to keep
     * it.
     *
     * <p>What the client sent wrong is thrown as a {@link StatusException}, which the server answers with
     * its status and message when the handler does not catch it: 415 when the request is not
     * {@code multipart/form-data}, 400 when its boundary is missing or invalid or the body is not
     * well-formed multipart (the exception's cause is then the {@link Multipart.FormatException}, the
     * message says what and where), 413 when the text fields add up to more than {@code maxTextSize} or
     * the file part is longer than {@code maxFileSize} (reading stops there, and the partial file is
     * deleted).
     *
     * @param msg the request; its {@code Content-Type} must be {@code multipart/form-data} with a
     *     boundary
     * @param fileControlName the name of the file field, or null to treat every part as text
     * @param directory where to create the temporary file, or null for the system's temporary directory
     * @param maxTextSize the most bytes of all text fields together (the parser's limit of
     *     {@link Multipart#DEFAULT_MAX_PARTS} parts applies too)
     * @param maxFileSize the most bytes of the file part, {@code Long.MAX_VALUE} for no limit
     * @throws StatusException 415, 400 or 413 for what the client sent wrong (above)
     * @throws IOException when reading the body fails (the client left, a timeout)
     * @throws IllegalArgumentException when {@code maxTextSize} or {@code maxFileSize} is negative
     */
    public static MultipartForm decodeMultipart(ServerMessage msg, String fileControlName, Path directory, long maxTextSize,
                                                long maxFileSize) throws IOException {
        if (maxTextSize < 0 || maxFileSize < 0) {
            throw new IllegalArgumentException("negative limit: maxTextSize " + maxTextSize + ", maxFileSize " + maxFileSize);
        }
        MessageHeaders headers = msg.getRequestHeaders();
        if (!MIME_TYPE_MULTIPART.equalsIgnoreCase(headers.getContentType())) {
            throw new StatusException(Status.UNSUPPORTED_MEDIA_TYPE,
                    "expected " + MIME_TYPE_MULTIPART + ", not " + headers.getContentType());
        }
        String boundary;
        try {
            boundary = Multipart.boundaryOf(headers);
        } catch (IllegalArgumentException e) {
            throw new StatusException(Status.BAD_REQUEST, e.getMessage(), e);
        }
        MessageBody body = msg.getRequestBody();
        // Bytes already in the body mean the server read it (a normal handler); none means an early
        // handler, before the body is read, so we stream it. An empty body is malformed either way.
        InputStream in = body.isComplete() || body.length() > 0
                ? new ByteArrayInputStream(body.flatten())
                : msg.getRequestBodyStream();
        MultipartForm form;
        try {
            form = MultipartFormReader.read(in, boundary, fileControlName, directory, maxTextSize, maxFileSize);
        } catch (Multipart.FormatException e) {
            throw new StatusException(Status.BAD_REQUEST, e.getMessage(), e);
        }
        if (form.file() != null) {
            msg.onFinished(form::close);
        }
        return form;
    }

    // ---- application/x-www-form-urlencoded ------------------------------------------------------

    /** Splits {@code form} into pairs and hands each decoded pair to {@code sink}. */
    private static void forEachPair(String form, BiConsumer<String, String> sink) {
        int n = form.length();
        int start = 0;
        while (start < n) {
            int amp = form.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = form.indexOf('=', start, end);
            if (eq >= 0) {
                sink.accept(decodeComponent(form, start, eq), decodeComponent(form, eq + 1, end));
            } else {
                // libsoup drops the pair, but a bad escape in it still makes the whole form malformed.
                decodeComponent(form, start, end);
            }
            start = end + 1;
        }
    }

    /** Decodes {@code s[from, to)}: {@code +} to space, percent-escapes as UTF-8. */
    static String decodeComponent(String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                break;
            }
            i++;
        }
        if (i == to) {
            // The common case of a plain name or value: one substring, nothing else allocated.
            return s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        out.append(s, from, i);
        byte[] run = null;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
                i++;
            } else if (c != '%') {
                out.append(c);
                i++;
            } else {
                if (run == null) {
                    run = new byte[(to - i + 2) / 3];
                }
                // A run of escapes is decoded together: one UTF-8 character spans several of them.
                int count = 0;
                boolean ascii = true;
                while (i < to && s.charAt(i) == '%') {
                    int b = escapedByte(s, i, to);
                    run[count++] = (byte) b;
                    ascii &= b < 0x80;
                    i += 3;
                }
                if (ascii) {
                    for (int k = 0; k < count; k++) {
                        out.append((char) run[k]);
                    }
                } else {
                    out.append(new String(run, 0, count, StandardCharsets.UTF_8));
                }
            }
        }
        return out.toString();
    }

    private static int escapedByte(String s, int percent, int to) {
        int hi = percent + 1 < to ? hexValue(s.charAt(percent + 1)) : -1;
        int lo = percent + 2 < to ? hexValue(s.charAt(percent + 2)) : -1;
        if (hi < 0 || lo < 0) {
            StringBuilder shown = new StringBuilder();
            for (int k = percent; k < Math.min(to, percent + 3); k++) {
                char c = s.charAt(k);
                shown.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
            throw new IllegalArgumentException("bad percent-escape \"" + shown + "\" at index " + percent + " of form data");
        }
        return hi << 4 | lo;
    }

    /** Returns the value of an ASCII hex digit, or -1 (Character.digit would also take non-ASCII digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void appendPair(StringBuilder sb, String name, String value) {
        Objects.requireNonNull(name, "form field name");
        Objects.requireNonNull(value, () -> "value of form field " + name);
        if (!sb.isEmpty()) {
            sb.append('&');
        }
        appendEncoded(sb, name);
        sb.append('=');
        appendEncoded(sb, value);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void appendEncoded(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                        || cp == '-' || cp == '_' || cp == '.') {
                    sb.append((char) cp);
                } else if (cp == ' ') {
                    sb.append('+');
                } else {
                    appendByte(sb, cp);
                }
                continue;
            }
            if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT && Character.isSurrogate((char) cp)) {
                cp = 0xFFFD; // a lone surrogate has no UTF-8 form (a supplementary code point is no surrogate)
            }
            if (cp < 0x800) {
                appendByte(sb, 0xC0 | cp >> 6);
            } else {
                if (cp < 0x10000) {
                    appendByte(sb, 0xE0 | cp >> 12);
                } else {
                    appendByte(sb, 0xF0 | cp >> 18);
                    appendByte(sb, 0x80 | (cp >> 12 & 0x3F));
                }
                appendByte(sb, 0x80 | (cp >> 6 & 0x3F));
            }
            appendByte(sb, 0x80 | (cp & 0x3F));
        }
    }

    private static void appendByte(StringBuilder sb, int b) {
        sb.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }

    // ---- multipart/form-data results ------------------------------------------------------------

    /**
     * A decoded {@code multipart/form-data} request: its text fields and at most one uploaded file.
     * Closing it deletes the file's temporary copy (if it is still there).
     *
     * @param fields the text fields by name, last value winning, in order of first appearance (mutable)
     * @param file the uploaded file, or null when the form had no part with the file control's name
     */
    public record MultipartForm(Map<String, String> fields, UploadedFile file) implements AutoCloseable {
        private static final System.Logger LOG = System.getLogger(Forms.class.getName());

        /** Deletes the temporary file; harmless when it was moved, already deleted, or there is none. */
        @Override
        public void close() {
            if (file == null) {
                return;
            }
            try {
                java.nio.file.Files.deleteIfExists(file.path());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete upload " + file.path(), e);
            }
        }
    }

    /**
     * An uploaded file, stored in a temporary file.
     *
     * @param name the form field's name
     * @param filename the file name the client gave ({@code filename} of {@code Content-Disposition}),
     *     or null; never trust it as a path
     * @param contentType the part's media type without parameters, or null when it had none
     * @param path the temporary file holding the content
     * @param size the content's length in bytes
     */
    public record UploadedFile(String name, String filename, String contentType, Path path, long size) {
    }
}
