package dev.ladle.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The streaming multipart parser behind {@link Multipart#parser}: one fixed buffer, parts read in place.
 *
 * <p>The body is scanned for the delimiter {@code CRLF "--" boundary}. Content bytes before a possible
 * delimiter are handed out as soon as they are known not to start one, so memory stays at one buffer
 * whatever the part sizes. The body is treated as if preceded by a CRLF, which lets the first delimiter
 * open the body directly; everything before it is the preamble and is skipped.
 */
final class MultipartParser implements Multipart.Parser {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    /** Horspool's shift for each byte value at the end of a window. */
    private final int[] skip = new int[256];
    private final int maxParts;
    private final int maxHeaderSize;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    /** End of the content bytes known to hold no delimiter start; meaningful while greater than pos. */
    private int safeEnd;
    private int partCount;
    private PartContent current;
    private boolean finished;

    MultipartParser(InputStream in, String boundary, int maxParts, int maxHeaderSize) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxParts = maxParts;
        this.maxHeaderSize = maxHeaderSize;
        Arrays.fill(skip, delimiter.length);
        for (int k = 0; k < delimiter.length - 1; k++) {
            skip[delimiter[k] & 0xFF] = delimiter.length - 1 - k;
        }
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    @Override
    public Multipart.StreamingPart next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            skipContent("no multipart boundary found in the body");
        } else {
            current.ended = true;
            skipContent("multipart body ended inside part " + partCount + " (no closing boundary)");
            current = null;
        }
        pos += delimiter.length;
        if (readDelimiterLineEnd()) {
            finished = true;
            return null;
        }
        if (++partCount > maxParts) {
            throw new Multipart.FormatException("multipart body has more than " + maxParts + " parts");
        }
        MessageHeaders headers = readHeaders();
        current = new PartContent(partCount);
        return new Multipart.StreamingPart(headers, current);
    }

    /** Skips content up to the next delimiter, leaving {@code pos} on it. */
    private void skipContent(String endOfStreamMessage) throws IOException {
        for (int n = contentAvailable(endOfStreamMessage); n > 0; n = contentAvailable(endOfStreamMessage)) {
            pos += n;
        }
    }

    /**
     * Returns how many bytes from {@code pos} are content, reading more when needed; 0 when the delimiter
     * starts at {@code pos}.
     *
     * @throws Multipart.FormatException when the stream ends before a delimiter
     */
    private int contentAvailable(String endOfStreamMessage) throws IOException {
        while (true) {
            if (safeEnd > pos) {
                return safeEnd - pos;
            }
            int match = findDelimiter(pos, limit);
            if (match > pos) {
                safeEnd = match;
                return match - pos;
            }
            if (limit - pos >= delimiter.length) {
                return 0; // a whole delimiter at pos
            }
            // Nothing, or only the start of what may be a delimiter: more bytes decide.
            if (!fill()) {
                throw new Multipart.FormatException(endOfStreamMessage);
            }
        }
    }

    /**
     * Returns the first index in {@code [from, to)} where the whole delimiter starts, or where a prefix of
     * it runs to {@code to}; {@code to} when there is neither.
     *
     * <p>Boyer-Moore-Horspool: each window is judged by its last byte, and a byte that does not occur in
     * the delimiter moves the search a whole delimiter length ahead, so file content is mostly skipped,
     * not compared. A skipped position cannot hold a partial match at the tail either: the byte that
     * justified the skip lies inside that tail.
     */
    private int findDelimiter(int from, int to) {
        int d = delimiter.length;
        byte lastOfDelimiter = delimiter[d - 1];
        int i = from;
        while (i <= to - d) {
            byte last = buf[i + d - 1];
            if (last == lastOfDelimiter && Arrays.equals(buf, i, i + d, delimiter, 0, d)) {
                return i;
            }
            i += skip[last & 0xFF];
        }
        for (; i < to; i++) {
            if (Arrays.equals(buf, i, to, delimiter, 0, to - i)) {
                return i;
            }
        }
        return to;
    }

    /** Moves unread bytes to the front and reads more; returns false at the end of the stream. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            safeEnd = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        while (n == 0) {
            n = in.read(buf, limit, buf.length - limit);
        }
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    private int readByte() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    /**
     * Reads what follows a delimiter: {@code --} (the closing delimiter; returns true) or optional
     * spaces and tabs then CRLF (another part follows; returns false).
     */
    private boolean readDelimiterLineEnd() throws IOException {
        int b = readByte();
        if (b == '-') {
            if (readByte() == '-') {
                return true;
            }
            throw new Multipart.FormatException("malformed multipart boundary line after part " + partCount);
        }
        int padding = 0;
        while ((b == ' ' || b == '\t') && padding++ < maxHeaderSize) {
            b = readByte();
        }
        if (b == '\r' && readByte() == '\n') {
            return false;
        }
        if (b < 0) {
            throw new Multipart.FormatException("multipart body ended after a boundary (no closing boundary)");
        }
        throw new Multipart.FormatException("malformed multipart boundary line after part " + partCount);
    }

    /** Reads the header section of a part up to and including its empty line. */
    private MessageHeaders readHeaders() throws IOException {
        MessageHeaders headers = new MessageHeaders();
        byte[] line = new byte[Math.min(maxHeaderSize, 256)];
        int budget = maxHeaderSize;
        while (true) {
            int length = 0;
            int b;
            while ((b = readByte()) != '\r') {
                if (b < 0) {
                    throw new Multipart.FormatException("multipart body ended inside the headers of part " + partCount);
                }
                if (b == '\n') {
                    throw new Multipart.FormatException("bare LF in the headers of part " + partCount);
                }
                if (--budget < 2) {
                    throw headersTooLarge();
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxHeaderSize, line.length * 2));
                }
                line[length++] = (byte) b;
            }
            if (readByte() != '\n') {
                throw new Multipart.FormatException("bare CR in the headers of part " + partCount);
            }
            budget -= 2;
            if (budget < 0) {
                throw headersTooLarge();
            }
            if (length == 0) {
                return headers;
            }
            addHeader(headers, line, length);
        }
    }

    private Multipart.FormatException headersTooLarge() {
        return new Multipart.FormatException("headers of part " + partCount + " exceed " + maxHeaderSize + " bytes");
    }

    private void addHeader(MessageHeaders headers, byte[] line, int length) throws Multipart.FormatException {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            throw new Multipart.FormatException("header line without a colon in part " + partCount);
        }
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1);
        if (!Tokens.isToken(name)) {
            throw new Multipart.FormatException("invalid header name in part " + partCount);
        }
        int start = colon + 1;
        int end = length;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int c = line[i] & 0xFF;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new Multipart.FormatException("control character in header " + name + " of part " + partCount);
            }
        }
        // Checked above; appendTrusted also admits the non-Latin-1 characters of UTF-8 file names.
        headers.appendTrusted(name, decodeHeaderValue(line, start, end));
    }

    /** Browsers send file names as raw UTF-8; anything that is not valid UTF-8 is read as ISO-8859-1. */
    private static String decodeHeaderValue(byte[] bytes, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (!ascii) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                // fall through to ISO-8859-1
            }
        }
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The content of one part: reads up to the delimiter that ends it, then returns -1. */
    private final class PartContent extends InputStream {
        private final String endOfStreamMessage;
        boolean ended;

        PartContent(int number) {
            this.endOfStreamMessage = "multipart body ended inside part " + number + " (no closing boundary)";
        }

        @Override
        public int read() throws IOException {
            if (ended) {
                return -1;
            }
            if (contentAvailable(endOfStreamMessage) == 0) {
                ended = true;
                return -1;
            }
            return buf[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            int n = contentAvailable(endOfStreamMessage);
            if (n == 0) {
                ended = true;
                return -1;
            }
            int count = Math.min(n, len);
            System.arraycopy(buf, pos, b, off, count);
            pos += count;
            return count;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && !ended) {
                int available = contentAvailable(endOfStreamMessage);
                if (available == 0) {
                    ended = true;
                    break;
                }
                int step = (int) Math.min(available, n - skipped);
                pos += step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() {
            return ended ? 0 : Math.max(0, safeEnd - pos);
        }
    }
}
