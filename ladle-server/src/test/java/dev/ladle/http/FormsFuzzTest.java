package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes form decoding: URL-encoded forms ({@link Forms#decodeMulti}) and multipart bodies, streamed
 * ({@link MultipartParser}, with parts read whole, in part or not at all), buffered
 * ({@link Multipart#fromMessage}) and as an upload form ({@link MultipartFormReader}, which writes the
 * file part to a temporary file). Seeds: the forms curl and the JDK client sent.
 *
 * <p>Invariants: URL-encoded data is refused only with {@link IllegalArgumentException}, and encoding
 * what was decoded decodes to the same fields. A multipart body is refused only with
 * {@link Multipart.FormatException} (or {@link IllegalArgumentException} for a bad Content-Type); the
 * part and header limits hold; the streaming and buffered readers agree; serialising the parts again
 * parses to the same parts; an upload form leaves no temporary file behind, accepted or refused.
 */
class FormsFuzzTest {
    private static final int MAX_PARTS = 8;
    private static final int MAX_HEADER_SIZE = 512;
    private static Path uploads;

    @BeforeAll
    static void createUploadDirectory() throws IOException {
        uploads = Files.createTempDirectory("ladle-fuzz-uploads");
    }

    @AfterAll
    static void removeUploadDirectory() throws IOException {
        try (Stream<Path> left = Files.list(uploads)) {
            left.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(uploads);
    }

    @FuzzTest
    void urlEncoded(byte[] input) {
        String form = new String(input, StandardCharsets.UTF_8);
        Map<String, List<String>> fields;
        try {
            fields = Forms.decodeMulti(form);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(Forms.decode(form).keySet()).containsExactlyElementsOf(fields.keySet());
        assertThat(Forms.decodeMulti(Forms.encodeMulti(fields))).isEqualTo(fields);
    }

    /** The first line is the request's Content-Type value, the rest its body. */
    @FuzzTest
    void multipart(byte[] input) throws IOException {
        int eol = indexOfCrlf(input);
        if (eol < 0) {
            return;
        }
        MessageHeaders requestHeaders = new MessageHeaders();
        String boundary;
        try {
            requestHeaders.append("Content-Type", new String(input, 0, eol, StandardCharsets.ISO_8859_1));
            boundary = Multipart.boundaryOf(requestHeaders);
        } catch (IllegalArgumentException e) {
            return;
        }
        byte[] body = java.util.Arrays.copyOfRange(input, eol + 2, input.length);

        List<Multipart.Part> parts;
        try {
            parts = readAll(new ByteArrayInputStream(body), boundary);
        } catch (Multipart.FormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            streamRefuses(body, boundary);
            uploadFormLeavesNoFile(body, boundary);
            return;
        }
        assertThat(parts.size()).isLessThanOrEqualTo(MAX_PARTS);
        for (Multipart.Part part : parts) {
            int headerSize = 0;
            for (String name : part.headers().names()) {
                for (String value : part.headers().getAll(name)) {
                    headerSize += name.length() + 2 + value.length();
                }
            }
            assertThat(headerSize).isLessThanOrEqualTo(MAX_HEADER_SIZE);
        }
        streamSkippingEveryOtherPart(body, boundary, parts);
        roundTrip(requestHeaders.getContentType(), boundary, parts);
        uploadFormLeavesNoFile(body, boundary);
    }

    private static List<Multipart.Part> readAll(InputStream in, String boundary) throws IOException {
        return readAll(in, boundary, MAX_HEADER_SIZE);
    }

    private static List<Multipart.Part> readAll(InputStream in, String boundary, int maxHeaderSize) throws IOException {
        List<Multipart.Part> parts = new ArrayList<>();
        Multipart.Parser parser = Multipart.parser(in, boundary, MAX_PARTS, maxHeaderSize);
        for (Multipart.StreamingPart part = parser.next(); part != null; part = parser.next()) {
            parts.add(new Multipart.Part(part.headers(), part.content().readAllBytes()));
        }
        return parts;
    }

    /** Reading whole parts through a trickling stream and skipping every other one agrees with readAll. */
    private static void streamSkippingEveryOtherPart(byte[] body, String boundary, List<Multipart.Part> expected)
            throws IOException {
        Multipart.Parser parser = Multipart.parser(new TrickleInput(body), boundary, MAX_PARTS, MAX_HEADER_SIZE);
        int i = 0;
        for (Multipart.StreamingPart part = parser.next(); part != null; part = parser.next(), i++) {
            assertThat(part.headers().names()).isEqualTo(expected.get(i).headers().names());
            if (i % 2 == 0) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                byte[] chunk = new byte[7];
                int n;
                while ((n = part.content().read(chunk, 0, chunk.length)) >= 0) {
                    content.write(chunk, 0, n);
                }
                assertThat(content.toByteArray()).isEqualTo(expected.get(i).body());
            } else if (part.content().read() >= 0) {
                part.content().skip(3);
            }
        }
        assertThat(i).isEqualTo(expected.size());
    }

    /** A body the buffered reader refuses is refused by the streaming reader too, with a FormatException. */
    private static void streamRefuses(byte[] body, String boundary) throws IOException {
        try {
            readAll(new TrickleInput(body), boundary);
        } catch (Multipart.FormatException expected) {
            return;
        }
        throw new AssertionError("the trickled body was accepted, the whole one refused");
    }

    private static void roundTrip(String mimeType, String boundary, List<Multipart.Part> parts) throws IOException {
        Multipart multipart = new Multipart(mimeType, boundary);
        for (Multipart.Part part : parts) {
            multipart.appendPart(part.headers(), part.body());
        }
        // written as "Name: value", a part's header section may grow past what it took as sent
        List<Multipart.Part> again = readAll(new ByteArrayInputStream(multipart.toByteArray()), boundary,
                2 * MAX_HEADER_SIZE + 64);
        assertThat(again).hasSameSizeAs(parts);
        for (int i = 0; i < parts.size(); i++) {
            assertThat(again.get(i).body()).isEqualTo(parts.get(i).body());
            for (String name : parts.get(i).headers().names()) {
                assertThat(again.get(i).headers().getAll(name)).isEqualTo(parts.get(i).headers().getAll(name));
            }
        }
    }

    private static void uploadFormLeavesNoFile(byte[] body, String boundary) throws IOException {
        try (Forms.MultipartForm form = MultipartFormReader.read(new TrickleInput(body), boundary, "upload", uploads, 256, Long.MAX_VALUE)) {
            if (form.file() != null) {
                assertThat(Files.size(form.file().path())).isEqualTo(form.file().size());
            }
            int text = 0;
            for (String value : form.fields().values()) {
                text += value.length();
            }
            assertThat(text).isLessThanOrEqualTo(256);
        } catch (Multipart.FormatException refused) {
            // refused: the file part, if any, must be gone as well
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertThat(left).as("temporary files left behind").isEmpty();
        }
    }

    private static int indexOfCrlf(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
