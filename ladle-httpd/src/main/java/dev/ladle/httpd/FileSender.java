package dev.ladle.httpd;

import dev.ladle.http.Range;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a file, a byte range of it, or several ranges as {@code multipart/byteranges}, through the
 * response body stream, one buffer at a time: the file is never held in memory, and a slow client
 * slows the reading down instead of filling the heap.
 *
 * <p>Ranges are done here rather than by the core because the core only cuts ranges out of a complete,
 * accumulated body. The {@code Content-Length} is always known in advance, so no response is chunked.
 */
final class FileSender {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileSender() {
    }

    /**
     * Answers with the whole file: 200 and {@code Content-Length}; a body unless {@code headOnly}.
     *
     * @throws IOException when reading the file or writing to the client fails
     */
    static void sendWhole(ServerMessage msg, FileChannel file, long size, boolean headOnly) throws IOException {
        msg.setStatus(Status.OK);
        msg.getResponseHeaders().setContentLength(size);
        if (headOnly || size == 0) {
            return;
        }
        try (OutputStream out = msg.getResponseBodyStream()) {
            copy(file, 0, size, out);
        }
    }

    /** Answers 206 with one range and its {@code Content-Range}. */
    static void sendRange(ServerMessage msg, FileChannel file, long size, Range range) throws IOException {
        msg.setStatus(Status.PARTIAL_CONTENT);
        msg.getResponseHeaders().setContentRange(range.start(), range.end(), size);
        msg.getResponseHeaders().setContentLength(range.length());
        try (OutputStream out = msg.getResponseBodyStream()) {
            copy(file, range.start(), range.length(), out);
        }
    }

    /**
     * Answers 206 with several ranges as {@code multipart/byteranges} (RFC 9110 section 14.6), each part
     * carrying the file's content type and its own {@code Content-Range}.
     */
    static void sendRanges(ServerMessage msg, FileChannel file, long size, List<Range> ranges, String contentType)
            throws IOException {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String boundary = "ladle-" + HexFormat.of().formatHex(random);
        List<byte[]> heads = new ArrayList<>(ranges.size());
        long length = 0;
        for (Range range : ranges) {
            byte[] head = ("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: bytes "
                    + range.start() + "-" + range.end() + "/" + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            heads.add(head);
            length += head.length + range.length();
        }
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += tail.length;
        msg.setStatus(Status.PARTIAL_CONTENT);
        msg.getResponseHeaders().replace("Content-Type", "multipart/byteranges; boundary=" + boundary);
        msg.getResponseHeaders().setContentLength(length);
        try (OutputStream out = msg.getResponseBodyStream()) {
            for (int i = 0; i < ranges.size(); i++) {
                out.write(heads.get(i));
                copy(file, ranges.get(i).start(), ranges.get(i).length(), out);
            }
            out.write(tail);
        }
    }

    /**
     * Reads from the file. Its failures are unchecked, unlike the client's: once the head is out, the
     * promised length can no longer be met, and a handler failing with a runtime exception makes the
     * server close the connection, so the client sees a cut response instead of a wrong one.
     */
    private static int read(FileChannel file, ByteBuffer buffer, long position) {
        try {
            return file.read(buffer, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies {@code count} bytes from {@code position} of {@code file} to {@code out}.
     *
     * @throws IOException when writing to the client fails (it left)
     * @throws UncheckedIOException when reading the file fails or it became shorter
     */
    private static void copy(FileChannel file, long position, long count, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_SIZE, count));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = read(file, buffer, position + done);
            if (n < 0) {
                throw new UncheckedIOException(new EOFException("the file shrank while it was being sent"));
            }
            out.write(buffer.array(), 0, n);
            done += n;
        }
    }
}
