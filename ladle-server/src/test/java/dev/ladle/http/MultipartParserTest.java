package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming parser behind {@link Multipart#parser} and {@link Multipart#parse}. */
class MultipartParserTest {
    private static final String B = "XyZ";

    /** A parsed part, content as ISO-8859-1 text so bytes compare exactly. */
    record Parsed(MessageHeaders headers, String content) {
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<Parsed> parseAll(InputStream in, String boundary) throws IOException {
        List<Parsed> parts = new ArrayList<>();
        Multipart.parse(in, boundary, part ->
                parts.add(new Parsed(part.headers(), new String(part.content().readAllBytes(), StandardCharsets.ISO_8859_1))));
        return parts;
    }

    private static List<Parsed> parseAll(String body) throws IOException {
        return parseAll(stream(body), B);
    }

    private static List<String> contents(List<Parsed> parts) {
        return parts.stream().map(Parsed::content).toList();
    }

    /** Returns at most {@code step} bytes per read, so delimiters straddle reads. */
    private static InputStream trickle(InputStream in, int step) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    @Test
    void parsesTwoPartsWithHeadersAndContent() throws IOException {
        List<Parsed> parts = parseAll("--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                + "hello\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "line1\r\nline2\r\n"
                + "--XyZ--\r\n");
        assertThat(contents(parts)).containsExactly("hello", "line1\r\nline2");
        assertThat(parts.get(1).headers().getContentType()).isEqualTo("text/plain");
        assertThat(parts.get(1).headers().getContentDisposition().parameter("filename")).isEqualTo("x.txt");
    }

    @Test
    void streamingPartExposesNameAndFilename() throws IOException {
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"a b.bin\"\r\n\r\nx\r\n--XyZ--"), B);
        Multipart.StreamingPart part = parser.next();
        assertThat(part.name()).isEqualTo("up");
        assertThat(part.filename()).isEqualTo("a b.bin");
    }

    @Test
    void preambleAndEpilogueAreIgnored() throws IOException {
        assertThat(contents(parseAll("This is a preamble.\r\n--XyZ\r\n\r\nbody\r\n--XyZ--\r\nepilogue text"))).containsExactly("body");
    }

    @Test
    void preambleThatMentionsTheBoundaryMidLineIsSkipped() throws IOException {
        assertThat(contents(parseAll("not a --XyZ delimiter\r\n--XyZ\r\n\r\nbody\r\n--XyZ--"))).containsExactly("body");
    }

    @Test
    void closingDelimiterWithoutTrailingCrlfEndsTheBody() throws IOException {
        assertThat(contents(parseAll("--XyZ\r\n\r\nbody\r\n--XyZ--"))).containsExactly("body");
    }

    @Test
    void partWithoutHeadersHasEmptyHeaders() throws IOException {
        List<Parsed> parts = parseAll("--XyZ\r\n\r\nplain\r\n--XyZ--");
        assertThat(parts.get(0).headers().isEmpty()).isTrue();
    }

    @Test
    void emptyContentIsAPart() throws IOException {
        assertThat(contents(parseAll("--XyZ\r\n\r\n\r\n--XyZ\r\n\r\n\r\n--XyZ--"))).containsExactly("", "");
    }

    @Test
    void bodyWithOnlyTheClosingDelimiterHasNoParts() throws IOException {
        assertThat(parseAll("--XyZ--\r\n")).isEmpty();
    }

    @Test
    void transportPaddingAfterDelimiterIsAllowed() throws IOException {
        assertThat(contents(parseAll("--XyZ \t \r\n\r\nbody\r\n--XyZ  \r\n\r\nsecond\r\n--XyZ--"))).containsExactly("body", "second");
    }

    @Test
    void boundaryTextInsideContentNotAtLineStartIsContent() throws IOException {
        assertThat(contents(parseAll("--XyZ\r\n\r\nsee --XyZ and \n--XyZ and \r--XyZ here\r\n--XyZ--")))
                .containsExactly("see --XyZ and \n--XyZ and \r--XyZ here");
    }

    @Test
    void prefixOfDelimiterInsideContentIsContent() throws IOException {
        assertThat(contents(parseAll("--XyZ\r\n\r\na\r\n--Xy\r\n--X\r\n-\r\n\r\r\n--XyZ--")))
                .containsExactly("a\r\n--Xy\r\n--X\r\n-\r\n\r");
    }

    @Test
    void headerValuesAreTrimmedAndNamesCaseInsensitive() throws IOException {
        List<Parsed> parts = parseAll("--XyZ\r\ncontent-TYPE:   image/png  \r\n\r\nx\r\n--XyZ--");
        assertThat(parts.get(0).headers().getOne("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void utf8FileNameIsDecoded() throws IOException {
        byte[] head = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"r\u00e9sum\u00e9 \u4e2d.txt\"\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8);
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(head), stream("x\r\n--XyZ--"));
        Multipart.StreamingPart part = Multipart.parser(in, B).next();
        assertThat(part.filename()).isEqualTo("r\u00e9sum\u00e9 \u4e2d.txt");
    }

    @Test
    void headerBytesThatAreNotUtf8AreReadAsLatin1() throws IOException {
        List<Parsed> parts = parseAll("--XyZ\r\nContent-Disposition: form-data; name=\"caf\u00e9\"\r\n\r\nx\r\n--XyZ--");
        assertThat(parts.get(0).headers().getContentDisposition().parameter("name")).isEqualTo("caf\u00e9");
    }

    @Test
    void unreadContentIsSkippedByNext() throws IOException {
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\n\r\nfirst part\r\n--XyZ\r\n\r\nsecond\r\n--XyZ--"), B);
        Multipart.StreamingPart first = parser.next();
        assertThat(first.content().read()).isEqualTo('f');
        Multipart.StreamingPart second = parser.next();
        assertThat(second.content().readAllBytes()).asString().isEqualTo("second");
        assertThat(parser.next()).isNull();
        assertThat(parser.next()).isNull();
    }

    @Test
    void contentOfAPartIsEmptyOnceTheParserMovedOn() throws IOException {
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\n\r\nfirst\r\n--XyZ\r\n\r\nsecond\r\n--XyZ--"), B);
        Multipart.StreamingPart first = parser.next();
        parser.next();
        assertThat(first.content().read()).isEqualTo(-1);
        assertThat(first.content().read(new byte[10])).isEqualTo(-1);
    }

    @Test
    void skipAdvancesWithinThePartOnly() throws IOException {
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\n\r\n0123456789\r\n--XyZ--"), B);
        InputStream content = parser.next().content();
        assertThat(content.skip(4)).isEqualTo(4);
        assertThat(content.readAllBytes()).asString().isEqualTo("456789");
        assertThat(content.skip(100)).isZero();
    }

    @Test
    void delimiterSplitAcrossEveryReadBoundaryIsFound() throws IOException {
        String body = "pre\r\n--XyZ\r\nA: 1\r\n\r\nab\r\n--X\r\ncd\r\n--XyZ\r\n\r\n\r\r\n--XyZ--\r\n";
        for (int step = 1; step <= 7; step++) {
            assertThat(contents(parseAll(trickle(stream(body), step), B))).as("step %d", step)
                    .containsExactly("ab\r\n--X\r\ncd", "\r");
        }
    }

    @Test
    void randomBinaryPartsSurviveARoundTripThroughWriteToAndParse() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            // Short boundaries and long curl-like ones full of dashes, which overlap the delimiter's own "--".
            String boundary = round % 2 == 0 ? "b" + round : "-".repeat(24) + Integer.toHexString(round * 7919) + "--x";
            Multipart multipart = new Multipart("multipart/mixed", boundary);
            List<byte[]> bodies = new ArrayList<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
                byte[] body = randomBodyFullOfNearDelimiters(random, boundary);
                bodies.add(body);
                multipart.appendFormFile("f" + i, null, "application/octet-stream", body);
            }
            InputStream in = trickle(new ByteArrayInputStream(multipart.toByteArray()), 1 + random.nextInt(40000));
            List<byte[]> parsed = new ArrayList<>();
            Multipart.parse(in, boundary, part -> parsed.add(part.content().readAllBytes()));
            assertThat(parsed).as("round %d", round).hasSameSizeAs(bodies);
            for (int i = 0; i < bodies.size(); i++) {
                assertThat(parsed.get(i)).isEqualTo(bodies.get(i));
            }
        }
    }

    /** Random bytes rich in CR, LF, dashes and boundary prefixes, but never the delimiter itself. */
    private static byte[] randomBodyFullOfNearDelimiters(Random random, String boundary) {
        byte[] body;
        do {
            body = randomBytesWithPieces(random, boundary);
        } while (new String(body, StandardCharsets.ISO_8859_1).contains("\r\n--" + boundary));
        return body;
    }

    private static byte[] randomBytesWithPieces(Random random, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] pieces = {"\r", "\n", "\r\n", "\r\n-", "\r\n--", "--" + boundary, "\r\n--" + boundary.substring(0, boundary.length() - 1),
            "\r\n--" + boundary.substring(0, boundary.length() / 2), "\r\n" + "-".repeat(40), "x" + boundary};
        int length = random.nextInt(40000);
        while (out.size() < length) {
            if (random.nextInt(8) == 0) {
                out.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(random.nextInt(256));
            }
        }
        return out.toByteArray();
    }

    @Test
    void largePartIsStreamedWithoutHoldingItInMemory() throws Exception {
        long size = 64L * 1024 * 1024 + 7;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        InputStream content = new GeneratedStream(size, sent);
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                stream("--XyZ\r\nContent-Disposition: form-data; name=\"big\"; filename=\"big.bin\"\r\n\r\n"),
                content,
                stream("\r\n--XyZ--\r\n"))));
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        Multipart.parse(body, B, part -> {
            byte[] chunk = new byte[8192];
            for (int n = part.content().read(chunk); n >= 0; n = part.content().read(chunk)) {
                received.update(chunk, 0, n);
                count[0] += n;
            }
        });
        assertThat(count[0]).isEqualTo(size);
        assertThat(received.digest()).isEqualTo(sent.digest());
    }

    /** Produces {@code size} pseudo-random bytes (with CRs and LFs) on the fly, feeding a digest. */
    private static final class GeneratedStream extends InputStream {
        private final MessageDigest digest;
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedStream(long size, MessageDigest digest) {
            this.remaining = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                int v = (int) (state >>> 56);
                b[off + i] = (byte) (v < 8 ? '\r' : v < 16 ? '\n' : v < 20 ? '-' : v);
            }
            digest.update(b, off, n);
            remaining -= n;
            return n;
        }
    }

    // ---- malformed bodies -------------------------------------------------------------------------

    @Test
    void bodyWithoutAnyDelimiterIsRejected() {
        assertThatThrownBy(() -> parseAll("just some text\r\n"))
                .isInstanceOf(Multipart.FormatException.class)
                .hasMessage("no multipart boundary found in the body");
    }

    @Test
    void emptyBodyIsRejected() {
        assertThatThrownBy(() -> parseAll("")).isInstanceOf(Multipart.FormatException.class);
    }

    @Test
    void bodyWithADifferentBoundaryIsRejected() {
        assertThatThrownBy(() -> parseAll("--Other\r\n\r\nx\r\n--Other--")).hasMessage("no multipart boundary found in the body");
    }

    @Test
    void missingClosingDelimiterIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\n\r\nunterminated content"))
                .isInstanceOf(Multipart.FormatException.class)
                .hasMessage("multipart body ended inside part 1 (no closing boundary)");
    }

    @Test
    void missingClosingDelimiterIsReportedByTheContentStream() throws IOException {
        Multipart.StreamingPart part = Multipart.parser(stream("--XyZ\r\n\r\ncut"), B).next();
        assertThatThrownBy(() -> part.content().readAllBytes()).isInstanceOf(Multipart.FormatException.class);
    }

    @Test
    void bodyEndingRightAfterADelimiterIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\n\r\nx\r\n--XyZ"))
                .hasMessage("multipart body ended after a boundary (no closing boundary)");
    }

    @Test
    void bodyEndingInsideHeadersIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\nContent-Type: text/pl"))
                .hasMessage("multipart body ended inside the headers of part 1");
    }

    @Test
    void headerLineWithoutColonIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--"))
                .isInstanceOf(Multipart.FormatException.class)
                .hasMessage("header line without a colon in part 1");
    }

    @Test
    void headerWithInvalidNameIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\nbad name: x\r\n\r\nx\r\n--XyZ--")).hasMessage("invalid header name in part 1");
    }

    @Test
    void headerWithControlCharacterIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\nX-A: a\u0000b\r\n\r\nx\r\n--XyZ--")).hasMessageContaining("control character");
    }

    @Test
    void bareLfInHeadersIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\nA: 1\nB: 2\r\n\r\nx\r\n--XyZ--")).hasMessage("bare LF in the headers of part 1");
    }

    @Test
    void junkAfterDelimiterIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\n\r\nx\r\n--XyZjunk\r\n\r\ny\r\n--XyZ--"))
                .hasMessage("malformed multipart boundary line after part 1");
    }

    @Test
    void singleDashAfterDelimiterIsRejected() {
        assertThatThrownBy(() -> parseAll("--XyZ\r\n\r\nx\r\n--XyZ-\r\n")).isInstanceOf(Multipart.FormatException.class);
    }

    @Test
    void headerSectionOverTheLimitIsRejected() {
        String big = "X-Big: " + "a".repeat(200) + "\r\n";
        Multipart.Parser small = Multipart.parser(stream("--XyZ\r\n" + big + "\r\nx\r\n--XyZ--"), B, 10, 100);
        assertThatThrownBy(small::next).hasMessage("headers of part 1 exceed 100 bytes");
    }

    @Test
    void headerSectionExactlyAtTheLimitIsAccepted() throws IOException {
        String header = "A: " + "b".repeat(93) + "\r\n"; // 98 bytes, plus the empty line: 100
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\n" + header + "\r\nx\r\n--XyZ--"), B, 10, 100);
        assertThat(parser.next().headers().getOne("A")).hasSize(93);
        Multipart.Parser over = Multipart.parser(stream("--XyZ\r\nA: " + "b".repeat(94) + "\r\n\r\nx\r\n--XyZ--"), B, 10, 100);
        assertThatThrownBy(over::next).isInstanceOf(Multipart.FormatException.class);
    }

    @Test
    void manyHeadersCountTowardsTheSameLimit() {
        String headers = "A: 1\r\n".repeat(30);
        Multipart.Parser parser = Multipart.parser(stream("--XyZ\r\n" + headers + "\r\nx\r\n--XyZ--"), B, 10, 100);
        assertThatThrownBy(parser::next).hasMessage("headers of part 1 exceed 100 bytes");
    }

    @Test
    void morePartsThanTheLimitAreRejected() throws IOException {
        String body = "--XyZ\r\n\r\na\r\n".repeat(3) + "--XyZ--";
        assertThat(parseAll(body)).hasSize(3);
        Multipart.Parser parser = Multipart.parser(stream(body), B, 2, 100);
        parser.next();
        parser.next();
        assertThatThrownBy(parser::next).hasMessage("multipart body has more than 2 parts");
    }

    @Test
    void defaultPartLimitIsEnforced() {
        String body = "--XyZ\r\n\r\n\r\n".repeat(Multipart.DEFAULT_MAX_PARTS + 1) + "--XyZ--";
        assertThatThrownBy(() -> parseAll(body)).hasMessage("multipart body has more than 1000 parts");
    }

    @Test
    void invalidBoundaryArgumentIsRejected() {
        InputStream in = stream("");
        assertThatThrownBy(() -> Multipart.parser(in, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.parser(in, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.parser(in, "x".repeat(71))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.parser(in, "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.parser(in, "trailing ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multipart.parser(in, "ok", 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seventyCharacterBoundaryWithSpacesInsideIsAccepted() throws IOException {
        String boundary = "a b'()+_,-./:=?" + "z".repeat(55);
        assertThat(boundary).hasSize(70);
        assertThat(contents(parseAll(stream("--" + boundary + "\r\n\r\nok\r\n--" + boundary + "--"), boundary))).containsExactly("ok");
    }

    @Test
    void theUnderlyingStreamIsNotReadPastTheClosingDelimiterMoreThanOneBuffer() throws IOException {
        // The parser reads in blocks, but parse() returns at the closing delimiter and never asks for more.
        int[] reads = new int[1];
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                reads[0]++;
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        InputStream body = new SequenceInputStream(stream("--XyZ\r\n\r\nv\r\n--XyZ--\r\n"), endless);
        assertThat(parseAll(body, B)).hasSize(1);
        assertThat(reads[0]).isZero();
    }
}
