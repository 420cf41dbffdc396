package dev.ladle.server.internal;

import dev.ladle.http.HttpVersion;
import dev.ladle.http.Status;
import dev.ladle.http.Tokens;
import dev.ladle.server.Limits;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads one request line and header section (RFC 9112 sections 3 and 5) from the connection's buffer,
 * in place. It validates every byte as it goes, so a 1 MB header is refused at the limit, not after
 * it was buffered, and it makes strings only for the method and target: the header section is kept as
 * one byte copy that {@link Exchange} turns into {@code MessageHeaders} only when asked. The headers
 * that decide framing (Host, Content-Length, Transfer-Encoding, Connection, Expect) are read as bytes.
 *
 * <p>Strict: bare CR or LF, obs-fold, whitespace before a colon, non-token names, control characters
 * in values, a repeated Host and conflicting Content-Lengths are all 400.
 */
final class RequestHeadParser {
    private static final byte[] HOST = bytes("host");
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] EXPECT = bytes("expect");
    private static final byte[] RANGE = bytes("range");
    private static final byte[] IF_MATCH = bytes("if-match");
    private static final byte[] IF_NONE_MATCH = bytes("if-none-match");
    private static final byte[] IF_MODIFIED_SINCE = bytes("if-modified-since");
    private static final byte[] IF_UNMODIFIED_SINCE = bytes("if-unmodified-since");
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    private static final String[] KNOWN_METHODS = {
        "GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"
    };

    private final InputBuffer in;
    private final Transport transport;
    /** The responses written but not yet flushed; null when there are none to care for. */
    private final OutputBuffer pending;

    RequestHeadParser(InputBuffer in, Transport transport) {
        this(in, transport, null);
    }

    /**
     * @param pending flushed before the parser waits for more of a head: a response held back because
     *     the next (pipelined) request was already buffered must not wait for that request's last bytes
     */
    RequestHeadParser(InputBuffer in, Transport transport, OutputBuffer pending) {
        this.in = in;
        this.transport = transport;
        this.pending = pending;
    }

    /**
     * Parses the next request head into {@code ex}, consuming it from the buffer.
     *
     * @param deadline {@link System#nanoTime()} by which the head must be complete
     * @throws HttpException for a malformed or over-large head, or one that arrives too slowly
     * @throws EOFException when the stream ends before the head is complete
     */
    void parse(Exchange ex, Limits limits, long deadline) throws IOException, HttpException {
        int maxLine = limits.getMaxRequestLineLength();
        int maxSection = limits.getMaxHeaderSectionSize();
        int maxBuffer = maxLine + maxSection + 8;

        // Request line, after any empty lines a client left before it (RFC 9112 section 2.2).
        int lineStart = 0;
        int lf;
        int emptyLines = 0;
        while (true) {
            lf = findLf(lineStart, lineStart + maxLine + 1, true, deadline, maxBuffer, Status.URI_TOO_LONG, "request line too long");
            if (lf == lineStart + 1 && byteAt(lineStart) == '\r' && emptyLines++ < MAX_LEADING_EMPTY_LINES) {
                lineStart = lf + 1;
                continue;
            }
            break;
        }
        int lineEnd = crBefore(lf);
        parseRequestLine(ex, lineStart, lineEnd);

        // Header fields, up to the empty line.
        int sectionStart = lf + 1;
        int fieldStart = sectionStart;
        int count = 0;
        int sectionLimit = sectionStart + maxSection;
        while (true) {
            lf = findLf(fieldStart, sectionLimit + 2, false, deadline, maxBuffer,
                    Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "header section too large");
            int end = crBefore(lf);
            if (end == fieldStart) {
                break;
            }
            if (++count > limits.getMaxHeaderCount()) {
                throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
            }
            parseField(ex, fieldStart, end, sectionStart);
            fieldStart = lf + 1;
        }
        if (fieldStart > sectionLimit) {
            throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "header section too large");
        }
        int base = in.pos;
        ex.headBytes = Arrays.copyOfRange(in.buf, base + sectionStart, base + fieldStart);
        in.pos = base + lf + 1;
    }

    /**
     * Finds the next LF at or after {@code from} (relative to the unread bytes), reading more as needed.
     *
     * @param max the relative offset by which an LF must have appeared
     * @param requestLine true to check the method bytes as they arrive, so that a client speaking
     *     another protocol (a TLS ClientHello has no LF) gets its 400 at once instead of a 408 later
     */
    private int findLf(int from, int max, boolean requestLine, long deadline, int maxBuffer, int tooLongStatus,
                       String tooLong) throws IOException, HttpException {
        int scanned = from;
        boolean inMethod = requestLine;
        while (true) {
            byte[] buf = in.buf;
            int base = in.pos;
            int end = in.limit;
            for (int i = base + scanned; i < end; i++) {
                int c = buf[i] & 0xff;
                if (c == '\n') {
                    int rel = i - base;
                    if (rel > max) {
                        throw new HttpException(tooLongStatus, tooLong);
                    }
                    return rel;
                }
                if (inMethod) {
                    if (c == ' ') {
                        inMethod = false;
                    } else if (c != '\r' && !Tokens.isTokenChar(c)) {
                        throw new HttpException(Status.BAD_REQUEST, "malformed request line (method)");
                    }
                }
            }
            scanned = end - base;
            if (scanned > max) {
                throw new HttpException(tooLongStatus, tooLong);
            }
            read(deadline, maxBuffer);
        }
    }

    private void read(long deadline, int maxBuffer) throws IOException, HttpException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request headers not received in time");
        }
        if (pending != null) {
            pending.flush();
        }
        transport.setReadTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        int n;
        try {
            n = in.fill(maxBuffer);
        } catch (SocketTimeoutException e) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request headers not received in time");
        } catch (InputBuffer.BufferFullException e) {
            throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head too large");
        }
        if (n < 0) {
            throw new EOFException("connection closed in the request head");
        }
    }

    private int byteAt(int rel) {
        return in.buf[in.pos + rel] & 0xff;
    }

    /** Returns the end of the line whose LF is at {@code lf}, requiring the CR before it. */
    private int crBefore(int lf) throws HttpException {
        if (lf == 0 || byteAt(lf - 1) != '\r') {
            throw new HttpException(Status.BAD_REQUEST, "line ends in a bare LF");
        }
        return lf - 1;
    }

    private void parseRequestLine(Exchange ex, int start, int end) throws HttpException {
        byte[] b = in.buf;
        int base = in.pos;
        int i = start;
        while (i < end && Tokens.isTokenChar(b[base + i] & 0xff)) {
            i++;
        }
        if (i == start || i >= end || b[base + i] != ' ') {
            throw new HttpException(Status.BAD_REQUEST, "malformed request line (method)");
        }
        ex.method = method(b, base + start, i - start);
        int targetStart = ++i;
        while (i < end) {
            int c = b[base + i] & 0xff;
            if (c == ' ') {
                break;
            }
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpException(Status.BAD_REQUEST, "invalid character in request target");
            }
            i++;
        }
        if (i == targetStart || i >= end) {
            throw new HttpException(Status.BAD_REQUEST, "malformed request line (target)");
        }
        ex.target = new String(b, base + targetStart, i - targetStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        int v = i + 1;
        if (end - v < 5 || b[base + v] != 'H' || b[base + v + 1] != 'T' || b[base + v + 2] != 'T'
                || b[base + v + 3] != 'P' || b[base + v + 4] != '/') {
            throw HttpException.notHttp1("malformed request line (version)");
        }
        if (end - v != 8 || b[base + v] != 'H' || b[base + v + 1] != 'T' || b[base + v + 2] != 'T'
                || b[base + v + 3] != 'P' || b[base + v + 4] != '/' || !isDigit(b[base + v + 5])
                || b[base + v + 6] != '.' || !isDigit(b[base + v + 7])) {
            throw new HttpException(Status.BAD_REQUEST, "malformed request line (version)");
        }
        int major = b[base + v + 5] - '0';
        int minor = b[base + v + 7] - '0';
        if (major == 1 && minor == 1) {
            ex.version = HttpVersion.HTTP_1_1;
        } else if (major == 1 && minor == 0) {
            ex.version = HttpVersion.HTTP_1_0;
        } else {
            throw new HttpException(Status.HTTP_VERSION_NOT_SUPPORTED, "HTTP/" + major + "." + minor + " is not supported");
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String method(byte[] b, int off, int len) {
        for (String known : KNOWN_METHODS) {
            if (known.length() == len) {
                boolean same = true;
                for (int k = 0; k < len; k++) {
                    if (b[off + k] != known.charAt(k)) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    return known;
                }
            }
        }
        return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void parseField(Exchange ex, int start, int end, int sectionStart) throws HttpException {
        byte[] b = in.buf;
        int base = in.pos;
        int c0 = b[base + start];
        if (c0 == ' ' || c0 == '\t') {
            throw new HttpException(Status.BAD_REQUEST, "obsolete line folding in header section");
        }
        int i = start;
        while (i < end && b[base + i] != ':') {
            int c = b[base + i] & 0xff;
            if (!Tokens.isTokenChar(c)) {
                throw new HttpException(Status.BAD_REQUEST, c == ' ' || c == '\t'
                        ? "whitespace before the colon of a header field" : "invalid character in header name");
            }
            i++;
        }
        if (i == start || i == end) {
            throw new HttpException(Status.BAD_REQUEST, i == start ? "empty header name" : "header field without a colon");
        }
        int nameEnd = i;
        int valueStart = i + 1;
        while (valueStart < end && (b[base + valueStart] == ' ' || b[base + valueStart] == '\t')) {
            valueStart++;
        }
        int valueEnd = end;
        for (int k = valueStart; k < end; k++) {
            if (!Tokens.isFieldValueChar(b[base + k] & 0xff)) {
                throw new HttpException(Status.BAD_REQUEST, "control character in header value");
            }
        }
        while (valueEnd > valueStart && (b[base + valueEnd - 1] == ' ' || b[base + valueEnd - 1] == '\t')) {
            valueEnd--;
        }
        int nameLen = nameEnd - start;
        if (nameIs(b, base + start, nameLen, HOST)) {
            if (ex.hostStart >= 0) {
                throw new HttpException(Status.BAD_REQUEST, "repeated Host header");
            }
            ex.hostStart = valueStart - sectionStart;
            ex.hostEnd = valueEnd - sectionStart;
        } else if (nameIs(b, base + start, nameLen, CONTENT_LENGTH)) {
            long length = parseContentLength(b, base + valueStart, base + valueEnd);
            if (length < 0 || (ex.declaredLength >= 0 && ex.declaredLength != length)) {
                throw new HttpException(Status.BAD_REQUEST, length < 0 ? "malformed Content-Length" : "conflicting Content-Length values");
            }
            ex.declaredLength = length;
        } else if (nameIs(b, base + start, nameLen, TRANSFER_ENCODING)) {
            String value = new String(b, base + valueStart, valueEnd - valueStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            ex.transferEncoding = ex.transferEncoding == null ? value : ex.transferEncoding + "," + value;
        } else if (nameIs(b, base + start, nameLen, CONNECTION)) {
            scanConnection(ex, b, base + valueStart, base + valueEnd);
        } else if (nameIs(b, base + start, nameLen, EXPECT)) {
            String value = new String(b, base + valueStart, valueEnd - valueStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            ex.expect = ex.expect == null ? value : ex.expect + "," + value;
        } else if (nameIs(b, base + start, nameLen, RANGE)) {
            ex.hasRange = true;
        } else if (nameIs(b, base + start, nameLen, IF_MATCH) || nameIs(b, base + start, nameLen, IF_NONE_MATCH)
                || nameIs(b, base + start, nameLen, IF_MODIFIED_SINCE)
                || nameIs(b, base + start, nameLen, IF_UNMODIFIED_SINCE)) {
            ex.hasConditions = true;
        }
    }

    /** Content-Length: digits, or a list of identical digit strings. Returns -1 when malformed. */
    private static long parseContentLength(byte[] b, int start, int end) {
        long result = -1;
        int i = start;
        while (i <= end) {
            while (i < end && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            long n = 0;
            int digits = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                if (++digits > 18) {
                    return -1;
                }
                n = n * 10 + (b[i] - '0');
                i++;
            }
            while (i < end && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (digits == 0 || (result >= 0 && n != result)) {
                return -1;
            }
            result = n;
            if (i == end) {
                return result;
            }
            if (b[i] != ',') {
                return -1;
            }
            i++;
        }
        return result;
    }

    private static void scanConnection(Exchange ex, byte[] b, int start, int end) {
        int i = start;
        while (i < end) {
            while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == ',')) {
                i++;
            }
            int tokenStart = i;
            while (i < end && b[i] != ',' && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            int len = i - tokenStart;
            if (len == 5 && equalsLower(b, tokenStart, "close")) {
                ex.connectionClose = true;
            } else if (len == 10 && equalsLower(b, tokenStart, "keep-alive")) {
                ex.connectionKeepAlive = true;
            }
        }
    }

    private static boolean equalsLower(byte[] b, int off, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if ((b[off + k] | 0x20) != lower.charAt(k) && b[off + k] != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameIs(byte[] b, int off, int len, byte[] lowerName) {
        if (len != lowerName.length) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            int c = b[off + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerName[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
