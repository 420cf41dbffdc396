package dev.ladle.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a {@code multipart/form-data} stream into a {@link Forms.MultipartForm}: text fields into a map,
 * the file control's part into a temporary file. The logic of {@link Forms#decodeMultipart}, apart from
 * where the stream comes from.
 */
final class MultipartFormReader {
    private MultipartFormReader() {
    }

    /**
     * Reads the whole form from {@code body}, refusing a file part longer than {@code maxFileSize} with
     * {@link StatusException} 413, as it refuses text fields longer than {@code maxTextSize} in all; a
     * body that is not well-formed multipart is a {@link Multipart.FormatException}. On any failure no temporary file is left behind.
     *
     * @param directory where to create the temporary file, or null for the system default
     */
    static Forms.MultipartForm read(InputStream body, String boundary, String fileControlName, Path directory, long maxTextSize,
                                    long maxFileSize) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        long textBudget = maxTextSize;
        Forms.UploadedFile file = null;
        Multipart.Parser parser = Multipart.parser(body, boundary);
        try {
            for (Multipart.StreamingPart part = parser.next(); part != null; part = parser.next()) {
                HeaderValue disposition = part.headers().getContentDisposition();
                String name = disposition == null ? null : disposition.parameter("name");
                if (name == null || !disposition.value().equalsIgnoreCase("form-data")) {
                    continue;
                }
                if (name.equals(fileControlName)) {
                    Forms.UploadedFile previous = file;
                    file = saveFile(part, name, disposition.parameter("filename"), directory, maxFileSize);
                    if (previous != null) {
                        Files.deleteIfExists(previous.path());
                    }
                } else {
                    byte[] text = readText(part, name, textBudget, maxTextSize);
                    textBudget -= text.length;
                    fields.put(name, new String(text, charsetOf(part.headers())));
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            if (file != null) {
                deleteQuietly(file.path(), e);
            }
            throw e;
        }
        return new Forms.MultipartForm(fields, file);
    }

    private static Forms.UploadedFile saveFile(Multipart.StreamingPart part, String name, String filename, Path directory,
                                               long maxFileSize) throws IOException {
        Path path = directory == null
                ? Files.createTempFile("ladle-upload-", ".tmp")
                : Files.createTempFile(directory, "ladle-upload-", ".tmp");
        long size = 0;
        try (OutputStream out = Files.newOutputStream(path)) {
            InputStream content = part.content();
            byte[] chunk = new byte[16 * 1024];
            for (int n = content.read(chunk); n >= 0; n = content.read(chunk)) {
                size += n;
                if (size > maxFileSize) {
                    // stop here: a client sending more than allowed does not get to fill the disk
                    throw new StatusException(Status.CONTENT_TOO_LARGE, "the file \"" + printable(name)
                            + "\" is larger than " + maxFileSize + " bytes");
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(path, e);
            throw e;
        }
        return new Forms.UploadedFile(name, filename, part.headers().getContentType(), path, size);
    }

    /**
     * Reads a text field of at most {@code budget} bytes: what is left of {@code maxTextSize}, the limit on
     * all text fields together (so many parts cannot add up to more than one large field).
     */
    private static byte[] readText(Multipart.StreamingPart part, String name, long budget, long maxTextSize) throws IOException {
        InputStream content = part.content();
        long max = Math.min(budget, Integer.MAX_VALUE - 17); // what an array can hold
        byte[] data = new byte[(int) Math.min(256, max + 1)];
        int length = 0;
        while (true) {
            if (length == data.length) {
                if (length > max) {
                    throw tooMuchText(name, maxTextSize);
                }
                data = Arrays.copyOf(data, (int) Math.min((long) length * 2, max + 1));
            }
            int n = content.read(data, length, data.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        if (length > max) {
            throw tooMuchText(name, maxTextSize);
        }
        return Arrays.copyOf(data, length);
    }

    private static StatusException tooMuchText(String name, long maxTextSize) {
        return new StatusException(Status.CONTENT_TOO_LARGE, "form text fields exceed " + maxTextSize + " bytes (at field \"" + printable(name) + "\")");
    }

    /** The charset parameter of the part's Content-Type when it names one Java knows; UTF-8 otherwise. */
    private static Charset charsetOf(MessageHeaders headers) {
        String name = headers.getContentTypeParameters().get("charset");
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // an unknown label: RFC 7578 makes UTF-8 the sensible default
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String printable(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void deleteQuietly(Path path, Throwable cause) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
