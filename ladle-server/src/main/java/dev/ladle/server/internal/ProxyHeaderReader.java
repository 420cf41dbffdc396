package dev.ladle.server.internal;

import dev.ladle.server.ProxyHeader;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads the PROXY protocol header that starts a connection, exactly: never a byte past it, so that
 * whatever follows in the same packet (a request, a TLS ClientHello, the HTTP/2 preface) stays in the
 * socket for the protocol after it. Version 2 says its length after 16 bytes; version 1 is read in
 * steps no longer than the shortest valid rest of the line could be. Bytes that cannot begin a header
 * end the read at once, without waiting for more.
 */
final class ProxyHeaderReader {
    /** Both versions' headers have at least this many bytes ({@code PROXY UNKNOWN\r\n}). */
    private static final int FIRST_READ = 15;
    /** The spaces of a {@code PROXY TCP4 src dst sport dport} line. */
    private static final int V1_SPACES = 5;
    private static final byte[] TCP4 = "TCP4 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TCP6 = "TCP6 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] UNKNOWN = "UNKNOWN".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Transport transport;
    private final InputStream in;
    private final long deadlineNanos;
    private byte[] buf = new byte[ProxyHeaderParser.V1_MAX_LENGTH];
    private int length;

    private ProxyHeaderReader(Transport transport, long deadlineNanos) {
        this.transport = transport;
        this.in = transport.input();
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Reads and parses the header at the start of {@code transport}'s input.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which the whole header must have arrived
     * @throws ProxyHeaderException when the bytes are not a valid header or the connection ends inside it
     * @throws SocketTimeoutException when the deadline passes first
     * @throws IOException when reading fails
     */
    static ProxyHeader read(Transport transport, long deadlineNanos) throws IOException {
        return ProxyHeaderParser.parse(new ProxyHeaderReader(transport, deadlineNanos).readBytes());
    }

    /** Returns exactly the header's bytes. */
    private byte[] readBytes() throws IOException {
        fill(FIRST_READ);
        if (ProxyHeaderParser.startsWith(buf, length, ProxyHeaderParser.V2_SIGNATURE)) {
            fill(ProxyHeaderParser.V2_FIXED_LENGTH);
            int variable = (buf[14] & 0xff) << 8 | (buf[15] & 0xff);
            if (variable > ProxyHeaderParser.V2_MAX_VARIABLE_LENGTH) {
                throw new ProxyHeaderException("PROXY v2 length " + variable + " exceeds the limit of "
                        + ProxyHeaderParser.V2_MAX_VARIABLE_LENGTH);
            }
            buf = Arrays.copyOf(buf, ProxyHeaderParser.V2_FIXED_LENGTH + variable);
            fill(buf.length);
            return buf;
        }
        while (ProxyHeaderParser.indexOfCrlf(buf, length) < 0) {
            if (length >= ProxyHeaderParser.V1_MAX_LENGTH) {
                throw new ProxyHeaderException("PROXY v1 line has no CRLF in its first "
                        + ProxyHeaderParser.V1_MAX_LENGTH + " bytes");
            }
            fillV1(Math.min(ProxyHeaderParser.V1_MAX_LENGTH, length + shortestRestOfV1()));
        }
        return Arrays.copyOf(buf, length);
    }

    /**
     * The fewest bytes a valid version 1 line could still need after {@code buf[0, length)}, which holds
     * no CRLF: a space and a field for each space to come, a first byte of the current field if it is
     * empty, and the CRLF. A line that can no longer become valid fails here.
     */
    private int shortestRestOfV1() throws ProxyHeaderException {
        int p = ProxyHeaderParser.V1_PREFIX.length;
        boolean lastIsCr = buf[length - 1] == '\r';
        int crlf = lastIsCr ? 1 : 2;
        if (startsAt(p, UNKNOWN)) {
            return crlf;
        }
        if (!startsAt(p, TCP4) && !startsAt(p, TCP6)) {
            throw new ProxyHeaderException("PROXY v1 protocol is not TCP4, TCP6 or UNKNOWN");
        }
        int spaces = 0;
        for (int i = 0; i < length; i++) {
            if (buf[i] == ' ') {
                spaces++;
            } else if (buf[i] == '\n' || (buf[i] == '\r' && i < length - 1)) {
                throw new ProxyHeaderException("PROXY v1 line holds a CR or LF before its end");
            }
        }
        int missing = V1_SPACES - spaces;
        if (missing < 0 || (missing > 0 && lastIsCr)) {
            throw new ProxyHeaderException("PROXY v1 line has a field too many or ends early");
        }
        int emptyField = buf[length - 1] == ' ' ? 1 : 0;
        return emptyField + 2 * missing + crlf;
    }

    private boolean startsAt(int at, byte[] word) {
        return length - at >= word.length && Arrays.equals(buf, at, at + word.length, word, 0, word.length);
    }

    /** Reads until {@code buf} holds {@code target} bytes, failing early on bytes that cannot begin a header. */
    private void fill(int target) throws IOException {
        while (length < target) {
            readSome(target);
        }
    }

    /** As {@link #fill}, but returns early after a LF: it ends the line, or makes it invalid, either way decides it. */
    private void fillV1(int target) throws IOException {
        while (length < target) {
            int before = length;
            readSome(target);
            for (int i = before; i < length; i++) {
                if (buf[i] == '\n') {
                    return;
                }
            }
        }
    }

    /** One read of at most {@code target - length} bytes, under the deadline. */
    private void readSome(int target) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no complete PROXY header within the header timeout");
        }
        transport.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000)));
        int n = in.read(buf, length, target - length);
        if (n < 0) {
            throw new ProxyHeaderException("the connection ended inside the PROXY header (" + length + " bytes)");
        }
        length += n;
        if (!ProxyHeaderParser.agreesWith(buf, length, ProxyHeaderParser.V2_SIGNATURE)
                && !ProxyHeaderParser.agreesWith(buf, length, ProxyHeaderParser.V1_PREFIX)) {
            throw new ProxyHeaderException("the connection does not start with a PROXY protocol header");
        }
    }
}
