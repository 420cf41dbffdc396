package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory {@link Multipart}: building, serializing and parsing whole bodies. */
class MultipartTest {

    private static MessageHeaders contentType(String value) {
        MessageHeaders headers = new MessageHeaders();
        headers.append("Content-Type", value);
        return headers;
    }

    @Test
    void serializesPartsWithDelimitersHeadersAndClosingDelimiter() {
        Multipart multipart = new Multipart("multipart/form-data", "BND");
        multipart.appendFormString("a", "1");
        multipart.appendFormFile("f", "x.txt", "text/plain", "hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(multipart.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("--BND\r\n"
                + "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                + "1\r\n"
                + "--BND\r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "hi\r\n"
                + "--BND--\r\n");
    }

    @Test
    void emptyMultipartIsJustTheClosingDelimiter() {
        assertThat(new Multipart("multipart/mixed", "b").toByteArray()).asString().isEqualTo("--b--\r\n");
    }

    @Test
    void contentTypeCarriesTheBoundary() {
        assertThat(new Multipart("multipart/form-data", "abc").getContentType()).isEqualTo("multipart/form-data; boundary=abc");
        assertThat(new Multipart("multipart/form-data", "a:b").getContentType()).isEqualTo("multipart/form-data; boundary=\"a:b\"");
    }

    @Test
    void randomBoundariesDifferAndAreValid() {
        String first = new Multipart("multipart/form-data").getBoundary();
        String second = new Multipart("multipart/form-data").getBoundary();
        assertThat(first).isNotEqualTo(second).hasSizeLessThanOrEqualTo(70).matches("[A-Za-z0-9-]+");
    }

    @Test
    void nonMultipartTypeIsRejected() {
        assertThatThrownBy(() -> new Multipart("text/plain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Multipart("multipart/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toMessageSetsContentTypeAndAppendsTheBody() {
        Multipart multipart = new Multipart("multipart/mixed", "q");
        multipart.appendFormString("k", "v");
        MessageHeaders headers = new MessageHeaders();
        MessageBody body = new MessageBody();
        multipart.toMessage(headers, body);
        assertThat(headers.getOne("Content-Type")).isEqualTo("multipart/mixed; boundary=q");
        assertThat(body.flatten()).isEqualTo(multipart.toByteArray());
    }

    @Test
    void writeToWritesTheSameBytesAsToByteArray() throws IOException {
        Multipart multipart = new Multipart("multipart/mixed", "q");
        multipart.appendFormString("k", "v");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        multipart.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(multipart.toByteArray());
    }

    @Test
    void fromMessageParsesWhatToByteArrayWrote() {
        Multipart original = new Multipart("multipart/form-data");
        original.appendFormString("greeting", "h\u00e9llo");
        original.appendFormFile("upload", "r\u00e9sum\u00e9 \"final\".pdf", "application/pdf", new byte[] {0, '\r', '\n', '-', '-', 1});
        MessageHeaders headers = contentType(original.getContentType());

        Multipart parsed = Multipart.fromMessage(headers, original.toByteArray());

        assertThat(parsed.getMimeType()).isEqualTo("multipart/form-data");
        assertThat(parsed.getBoundary()).isEqualTo(original.getBoundary());
        assertThat(parsed.getLength()).isEqualTo(2);
        assertThat(parsed.getPart(0).name()).isEqualTo("greeting");
        assertThat(new String(parsed.getPart(0).body(), StandardCharsets.UTF_8)).isEqualTo("h\u00e9llo");
        assertThat(parsed.getPart(1).filename()).isEqualTo("r\u00e9sum\u00e9 \"final\".pdf");
        assertThat(parsed.getPart(1).headers().getContentType()).isEqualTo("application/pdf");
        assertThat(parsed.getPart(1).body()).containsExactly(0, '\r', '\n', '-', '-', 1);
    }

    @Test
    void fromMessageReadsAQuotedBoundary() {
        Multipart parsed = Multipart.fromMessage(contentType("multipart/mixed; boundary=\"a b:c\""),
                "--a b:c\r\n\r\nx\r\n--a b:c--".getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.getParts()).hasSize(1);
    }

    @Test
    void fromMessageRejectsMalformedBodyWithIllegalArgumentException() {
        assertThatThrownBy(() -> Multipart.fromMessage(contentType("multipart/mixed; boundary=b"), "--b\r\n\r\nno end".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no closing boundary")
                .hasCauseInstanceOf(Multipart.FormatException.class);
    }

    @Test
    void boundaryOfRejectsMissingContentType() {
        assertThatThrownBy(() -> Multipart.boundaryOf(new MessageHeaders())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundaryOfRejectsNonMultipartType() {
        assertThatThrownBy(() -> Multipart.boundaryOf(contentType("text/plain; boundary=x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not multipart");
    }

    @Test
    void boundaryOfRejectsMultipartWithoutSubtype() {
        // found by fuzzing: boundaryOf took "multipart/" while fromMessage's constructor refused it
        assertThatThrownBy(() -> Multipart.boundaryOf(contentType("multipart/; boundary=x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundaryOfRejectsMissingBoundaryParameter() {
        assertThatThrownBy(() -> Multipart.boundaryOf(contentType("multipart/form-data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no boundary parameter");
    }

    @Test
    void boundaryOfRejectsOverlongBoundary() {
        assertThatThrownBy(() -> Multipart.boundaryOf(contentType("multipart/form-data; boundary=" + "x".repeat(71))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundaryOfIsCaseInsensitiveAboutTheMediaTypeAndParameterName() {
        assertThat(Multipart.boundaryOf(contentType("Multipart/Form-Data; BOUNDARY=Zz"))).isEqualTo("Zz");
    }

    @Test
    void controlCharacterInFieldNameIsRejected() {
        Multipart multipart = new Multipart("multipart/form-data");
        assertThatThrownBy(() -> multipart.appendFormString("a\r\nX-Injected: 1", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> multipart.appendFormFile("f", "a\nb", null, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partsViewIsUnmodifiable() {
        Multipart multipart = new Multipart("multipart/mixed");
        assertThatThrownBy(() -> multipart.getParts().add(new Multipart.Part(new MessageHeaders(), new byte[0])))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void appendPartKeepsCustomHeaders() {
        Multipart multipart = new Multipart("multipart/byteranges", "r");
        MessageHeaders headers = new MessageHeaders();
        headers.append("Content-Type", "text/plain");
        headers.append("Content-Range", "bytes 0-1/10");
        multipart.appendPart(headers, "01".getBytes(StandardCharsets.US_ASCII));
        Multipart parsed = Multipart.fromMessage(contentType(multipart.getContentType()), multipart.toByteArray());
        assertThat(parsed.getPart(0).headers().getContentRange()).containsExactly(0, 1, 10);
        assertThat(parsed.getPart(0).name()).isNull();
        assertThat(Map.of("type", parsed.getMimeType())).containsEntry("type", "multipart/byteranges");
    }
}
