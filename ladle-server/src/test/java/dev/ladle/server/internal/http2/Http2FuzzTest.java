package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import dev.ladle.http.MessageHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the HTTP/2 side: a whole server connection fed a client's frames (frame reader, dispatch,
 * stream states, flow control, header validation, request semantics), the HPACK decoder on a sequence
 * of header blocks, and HPACK encoding and decoding of any header list. Seeds: the frames curl,
 * nghttp and the JDK client (after its h2c upgrade) sent, and their header blocks.
 *
 * <p>Invariants: the connection never fails internally (no GOAWAY with INTERNAL_ERROR) and writes only
 * well-formed frames; the decoder refuses bad blocks only with {@link HpackException}, keeps its table
 * within bounds and delivers no more than the header-list limit; what it decoded, encoded again,
 * decodes to the same fields; nothing hangs.
 */
class Http2FuzzTest {
    private static final int MAX_LIST = 4096;
    private static final int TABLE = 4096;
    private static final Http2Config CONFIG = new Http2Config(8, 64 * 1024, 256 * 1024,
            SettingsParameter.DEFAULT_MAX_FRAME_SIZE, MAX_LIST, TABLE, Duration.ofSeconds(5), true);

    /** The frames a client sends after the connection preface (which the test adds). */
    @FuzzTest
    void connection(byte[] input) throws IOException {
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(FrameReader.PREFACE), new TrickleInput(input));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Http2Connection connection = new Http2Connection(CONFIG, in, new SynchronizedOutput(out), () -> { },
                Http2FuzzTest::answer);
        connection.serve();
        checkFrames(out.toByteArray());
    }

    private static void answer(Http2Stream stream) throws IOException {
        byte[] buf = new byte[4096];
        while (stream.read(buf, 0, buf.length) >= 0) {
            // read the request body to its end
        }
        byte[] text = ("ok " + stream.request().path()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MessageHeaders headers = new MessageHeaders();
        headers.append("Content-Type", "text/plain");
        stream.writeHeaders(200, headers, text.length, false);
        stream.writeData(text, 0, text.length, true);
    }

    /** Every frame the server wrote is whole and within the default frame size; no GOAWAY INTERNAL_ERROR. */
    private static void checkFrames(byte[] written) {
        int p = 0;
        while (p < written.length) {
            assertThat(written.length - p).as("a whole frame header").isGreaterThanOrEqualTo(FrameReader.HEADER_LENGTH);
            int length = (written[p] & 0xff) << 16 | (written[p + 1] & 0xff) << 8 | (written[p + 2] & 0xff);
            int type = written[p + 3] & 0xff;
            assertThat(length).isLessThanOrEqualTo(SettingsParameter.DEFAULT_MAX_FRAME_SIZE);
            assertThat(written.length - p - FrameReader.HEADER_LENGTH).as("a whole frame").isGreaterThanOrEqualTo(length);
            if (type == FrameType.GOAWAY) {
                int code = FrameReader.int32(written, p + FrameReader.HEADER_LENGTH + 4);
                assertThat(code).as("GOAWAY error code").isNotEqualTo(ErrorCode.INTERNAL_ERROR.code());
            }
            p += FrameReader.HEADER_LENGTH + length;
        }
    }

    /** Header blocks, each preceded by its length in two bytes, decoded in turn by one decoder. */
    @FuzzTest
    void hpack(byte[] input) throws HpackException {
        HpackDecoder decoder = new HpackDecoder(TABLE);
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder mirror = new HpackDecoder(TABLE);
        int p = 0;
        while (p + 2 <= input.length) {
            int length = Math.min((input[p] & 0xff) << 8 | (input[p + 1] & 0xff), input.length - p - 2);
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            boolean whole;
            try {
                whole = decoder.decode(input, p + 2, length, MAX_LIST, (name, value) -> fields.add(Map.entry(name, value)));
            } catch (HpackException e) {
                assertThat(e.getMessage()).isNotBlank();
                return; // the connection ends with COMPRESSION_ERROR
            }
            assertThat(decoder.dynamicTableSize()).isLessThanOrEqualTo(TABLE);
            long size = 0;
            for (Map.Entry<String, String> field : fields) {
                size += field.getKey().length() + field.getValue().length() + 32;
            }
            assertThat(size).isLessThanOrEqualTo(MAX_LIST);
            if (whole) {
                assertThat(roundTrip(encoder, mirror, fields)).isEqualTo(fields);
            }
            p += 2 + length;
        }
    }

    /** Any header list: names and values of any octets, encoded block after block, decode the same. */
    @FuzzTest
    void hpackRoundTrip(FuzzedDataProvider data) throws HpackException {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(TABLE);
        while (data.remainingBytes() > 0) {
            if (data.consumeInt(0, 9) == 0) {
                int size = data.consumeInt(0, 2 * TABLE);
                encoder.setPeerMaxTableSize(size);
            }
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            int count = data.consumeInt(0, 8);
            for (int i = 0; i < count; i++) {
                fields.add(Map.entry(latin1(data.consumeBytes(data.consumeInt(0, 40))),
                        latin1(data.consumeBytes(data.consumeInt(0, 200)))));
            }
            assertThat(roundTrip(encoder, decoder, fields)).isEqualTo(fields);
            assertThat(decoder.dynamicTableSize()).isLessThanOrEqualTo(TABLE);
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static List<Map.Entry<String, String>> roundTrip(HpackEncoder encoder, HpackDecoder decoder,
            List<Map.Entry<String, String>> fields) throws HpackException {
        encoder.startBlock();
        for (Map.Entry<String, String> field : fields) {
            encoder.header(field.getKey(), field.getValue());
        }
        List<Map.Entry<String, String>> decoded = new ArrayList<>();
        decoder.decode(encoder.blockArray(), 0, encoder.blockLength(), Long.MAX_VALUE,
                (name, value) -> decoded.add(Map.entry(name, value)));
        return decoded;
    }

    /** The server writes from several threads under its writer lock; this keeps the test's buffer safe too. */
    private static final class SynchronizedOutput extends OutputStream {
        private final ByteArrayOutputStream out;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

        SynchronizedOutput(ByteArrayOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            lock.lock();
            try {
                out.write(b);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            lock.lock();
            try {
                out.write(b, off, len);
            } finally {
                lock.unlock();
            }
        }
    }
}
