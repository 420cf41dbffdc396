package dev.ladle.server.internal;

import static dev.ladle.server.internal.ProxyHeaderParserTest.SIG;
import static dev.ladle.server.internal.ProxyHeaderParserTest.ascii;
import static dev.ladle.server.internal.ProxyHeaderParserTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ProxyHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProxyHeaderReader} reads a connection's PROXY header with exact lengths: the bytes after it
 * (the request, a TLS ClientHello) stay unread however they arrive, and bytes that cannot be a header
 * fail at once instead of waiting for more.
 */
class ProxyHeaderReaderTest {
    private static final byte[] REQUEST = ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    private static final long FAR = System.nanoTime() + 60_000_000_000L;

    private static final List<byte[]> HEADERS = List.of(
            ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n"),
            ascii("PROXY TCP6 2001:db8::1 2001:db8::2 4711 80\r\n"),
            ascii("PROXY UNKNOWN\r\n"),
            ascii("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"),
            hex(SIG + "21 11 0011 CB007107 C0000201 DC04 01BB 01 0002 6832"),
            hex(SIG + "20 00 0000"));

    private static Transport transport(InputStream in) {
        return new StreamTransport(in, OutputStream.nullOutputStream(), null, null, null);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void headerAndRequestInOneReadLeaveEveryRequestByteUnread() throws IOException {
        for (byte[] header : HEADERS) {
            ByteArrayInputStream in = new ByteArrayInputStream(concat(header, REQUEST));
            ProxyHeader parsed = ProxyHeaderReader.read(transport(in), FAR);
            assertThat(parsed).isEqualTo(ProxyHeaderParser.parse(header));
            assertThat(in.readAllBytes()).as("left after %s", new String(header)).isEqualTo(REQUEST);
        }
    }

    @Test
    void headerArrivingOneByteAtATimeIsReassembled() throws IOException {
        for (byte[] header : HEADERS) {
            OneByteAtATime in = new OneByteAtATime(concat(header, REQUEST));
            assertThat(ProxyHeaderReader.read(transport(in), FAR)).isEqualTo(ProxyHeaderParser.parse(header));
            assertThat(in.readAllBytes()).isEqualTo(REQUEST);
        }
    }

    @Test
    void bytesThatCannotBeginAHeaderFailWithoutWaitingForMore() {
        for (String start : List.of("GET /\r\n", "\u0016\u0003\u0001", "PRI * ", "\r\n\r\n\u0000\r\nQUIX")) {
            // the peer sends these bytes and then nothing: a reader that waited for more would hang
            InputStream in = new ThenSilent(ascii(start));
            assertThatThrownBy(() -> ProxyHeaderReader.read(transport(in), FAR)).isInstanceOf(ProxyHeaderException.class)
                    .hasMessageContaining("does not start with a PROXY protocol header");
        }
    }

    @Test
    void v2LengthOverTheLimitIsRefusedBeforeItsBlockIsRead() {
        InputStream in = new ThenSilent(hex(SIG + "21 11 1001"));
        assertThatThrownBy(() -> ProxyHeaderReader.read(transport(in), FAR)).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("4097");
    }

    @Test
    void v1LineThatCanNoLongerBeValidIsRefusedWithoutWaitingForItsEnd() {
        for (String start : List.of("PROXY TCP7 1.2.3.4", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3", "PROXY TCP4 1.2.3.4\n")) {
            InputStream in = new ThenSilent(ascii(start));
            assertThatThrownBy(() -> ProxyHeaderReader.read(transport(in), FAR)).isInstanceOf(ProxyHeaderException.class);
        }
    }

    @Test
    void v1LineWithoutCrlfInItsFirst107BytesIsRefused() {
        byte[] line = ascii("PROXY UNKNOWN " + "x".repeat(200));
        assertThatThrownBy(() -> ProxyHeaderReader.read(transport(new ByteArrayInputStream(line)), FAR))
                .isInstanceOf(ProxyHeaderException.class).hasMessageContaining("107");
    }

    @Test
    void connectionEndingInsideTheHeaderIsRefused() {
        byte[] cut = Arrays.copyOf(HEADERS.get(4), 20);
        assertThatThrownBy(() -> ProxyHeaderReader.read(transport(new ByteArrayInputStream(cut)), FAR))
                .isInstanceOf(ProxyHeaderException.class).hasMessageContaining("ended inside");
    }

    @Test
    void headerNotCompleteByTheDeadlineTimesOut() {
        InputStream in = new ByteArrayInputStream(HEADERS.get(0));
        assertThatThrownBy(() -> ProxyHeaderReader.read(transport(in), System.nanoTime() - 1))
                .isInstanceOf(SocketTimeoutException.class);
    }

    /** Hands over one byte per read. */
    private static final class OneByteAtATime extends ByteArrayInputStream {
        OneByteAtATime(byte[] data) {
            super(data);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    /** Hands over its bytes, then fails the test on any further read, standing for a peer that sends nothing more. */
    private static final class ThenSilent extends InputStream {
        private final byte[] data;
        private int pos;

        ThenSilent(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte reads are not used");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                throw new AssertionError("read again after bytes that decide the matter");
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
