package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import dev.ladle.http.MessageHeaders;
import dev.ladle.server.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes what an HTTP/1.1 peer's bytes go through before a handler runs: the request line and header
 * section ({@link RequestHeadParser}), the Host and framing checks ({@link Http1Framing}), the body
 * framing (chunked with trailers, or Content-Length) and the next pipelined request, for as many
 * requests as the input holds. Seeds: requests captured from curl, the JDK client and Chromium.
 *
 * <p>Invariants: only {@link HttpException} (with a 4xx, 501 or 505 status) or {@link EOFException}
 * escapes; an accepted head respects the limits (request line, section size, field count); an accepted
 * head serialised again parses to the same method, target, version and fields; nothing hangs.
 */
class RequestHeadFuzzTest {
    /** Small limits, so that inputs of a few KiB reach them. */
    static final Limits LIMITS = new Limits()
            .setMaxRequestLineLength(200)
            .setMaxHeaderSectionSize(1024)
            .setMaxHeaderCount(24);
    private static final int MAX_REQUESTS = 64;

    @FuzzTest
    void requestStream(byte[] input) throws IOException {
        InputBuffer in = new InputBuffer(new TrickleInput(input));
        RequestHeadParser parser = new RequestHeadParser(in, transport());
        for (int i = 0; i < MAX_REQUESTS; i++) {
            Exchange ex = new Exchange(null);
            try {
                parser.parse(ex, LIMITS, Long.MAX_VALUE);
                checkAcceptedHead(ex);
                BodyReader body = Http1Framing.check(ex, in, LIMITS);
                if (ex.hostStart >= 0) {
                    assertThat(Hosts.isValidAuthority(ex.host())).as("Host %s", ex.host()).isTrue();
                }
                readBody(body);
            } catch (HttpException e) {
                checkStatus(e);
                return;
            } catch (EOFException e) {
                return;
            }
        }
    }

    private static void readBody(BodyReader body) throws IOException, HttpException {
        byte[] buf = new byte[512];
        long total = 0;
        int n;
        while ((n = body.read(buf, 0, buf.length)) >= 0) {
            total += n;
        }
        assertThat(body.isDone()).isTrue();
        int trailerBytes = 0;
        for (String s : body.trailers()) {
            trailerBytes += s.length();
        }
        assertThat(trailerBytes).isLessThanOrEqualTo(LIMITS.getMaxHeaderSectionSize());
        assertThat(total).isGreaterThanOrEqualTo(0);
    }

    static void checkStatus(HttpException e) {
        int status = e.status();
        assertThat(status >= 400 && status < 500 || status == 501 || status == 505)
                .as("status %d for %s", status, e.getMessage()).isTrue();
        assertThat(e.getMessage()).isNotBlank();
    }

    /** The limits held, and the head serialised again parses to the same request. */
    private static void checkAcceptedHead(Exchange ex) throws IOException, HttpException {
        String requestLine = ex.method + " " + ex.target + " " + ex.version;
        assertThat(requestLine.length()).isLessThanOrEqualTo(LIMITS.getMaxRequestLineLength());
        assertThat(ex.headBytes.length).isLessThanOrEqualTo(LIMITS.getMaxHeaderSectionSize());
        MessageHeaders headers = ex.getRequestHeaders();
        List<Map.Entry<String, String>> fields = fields(headers);
        assertThat(fields.size()).isLessThanOrEqualTo(LIMITS.getMaxHeaderCount());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        again.writeBytes((requestLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> field : fields) {
            again.writeBytes((field.getKey() + ": " + field.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        again.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        InputBuffer in = new InputBuffer(new ByteArrayInputStream(again.toByteArray()));
        Exchange reparsed = new Exchange(null);
        // the serialised form may be longer (": " after each colon), so it gets room for that
        Limits roomy = new Limits(LIMITS).setMaxHeaderSectionSize(LIMITS.getMaxHeaderSectionSize() * 2 + 64);
        new RequestHeadParser(in, transport()).parse(reparsed, roomy, Long.MAX_VALUE);
        assertThat(reparsed.method).isEqualTo(ex.method);
        assertThat(reparsed.target).isEqualTo(ex.target);
        assertThat(reparsed.version).isEqualTo(ex.version);
        assertThat(fields(reparsed.getRequestHeaders())).isEqualTo(fields);
        assertThat(reparsed.declaredLength).isEqualTo(ex.declaredLength);
        assertThat(reparsed.transferEncoding).isEqualTo(ex.transferEncoding);
    }

    static List<Map.Entry<String, String>> fields(MessageHeaders headers) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        headers.forEach((name, value) -> fields.add(Map.entry(name, value)));
        return fields;
    }

    static Transport transport() {
        return new StreamTransport(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), null, null, null);
    }
}
