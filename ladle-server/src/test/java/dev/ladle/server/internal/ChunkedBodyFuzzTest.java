package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the chunked request body decoder and its trailer section ({@link ChunkedBodyReader}) with the
 * bytes that follow a request head. Seeds: the chunked bodies curl and the JDK client sent.
 *
 * <p>Invariants: only {@link HttpException} (4xx) or {@link EOFException} escapes; the trailer section
 * stays within its limit; a decoded body and its trailers, chunked again, decode to the same bytes and
 * fields; nothing hangs.
 */
class ChunkedBodyFuzzTest {
    private static final int MAX_TRAILER_SIZE = 512;

    @FuzzTest
    void chunkedBody(byte[] input) throws IOException {
        Decoded decoded;
        try {
            decoded = decode(new TrickleInput(input));
        } catch (HttpException e) {
            RequestHeadFuzzTest.checkStatus(e);
            return;
        } catch (EOFException e) {
            return;
        }
        int trailerBytes = 0;
        for (String s : decoded.trailers()) {
            trailerBytes += s.length();
        }
        assertThat(trailerBytes).isLessThanOrEqualTo(MAX_TRAILER_SIZE);

        Decoded again;
        try {
            again = decode(new ByteArrayInputStream(encode(decoded)));
        } catch (HttpException e) {
            throw new AssertionError("re-encoded body refused: " + e.getMessage(), e);
        }
        assertThat(again.body()).isEqualTo(decoded.body());
        assertThat(again.trailers()).isEqualTo(decoded.trailers());
    }

    private record Decoded(byte[] body, List<String> trailers) {
    }

    private static Decoded decode(java.io.InputStream stream) throws IOException, HttpException {
        InputBuffer in = new InputBuffer(stream);
        ChunkedBodyReader reader = new ChunkedBodyReader(in, MAX_TRAILER_SIZE);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[300];
        int n;
        while ((n = reader.read(buf, 0, buf.length)) >= 0) {
            body.write(buf, 0, n);
        }
        assertThat(reader.isDone()).isTrue();
        assertThat(reader.read(buf, 0, buf.length)).isEqualTo(-1);
        return new Decoded(body.toByteArray(), List.copyOf(reader.trailers()));
    }

    /** Chunks {@code decoded} again: the body in chunks of up to 100 bytes, then the trailers. */
    private static byte[] encode(Decoded decoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body = decoded.body();
        for (int off = 0; off < body.length; off += 100) {
            int len = Math.min(100, body.length - off);
            out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, len);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes("0\r\n".getBytes(StandardCharsets.US_ASCII));
        List<String> trailers = decoded.trailers();
        for (int i = 0; i < trailers.size(); i += 2) {
            out.writeBytes((trailers.get(i) + ":" + trailers.get(i + 1) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }
}
