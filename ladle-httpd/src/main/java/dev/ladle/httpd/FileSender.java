package dev.ladle.httpd;

import dev.ladle.http.MessageBody;
import dev.ladle.http.Range;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Answers with a file, a byte range of it, or several ranges as {@code multipart/byteranges}, as file
 * regions of the response body ({@link MessageBody#appendFile}): the file is never held in memory, a
 * plain HTTP/1.1 connection sends it with {@code sendfile}, and the server closes the channel once the
 * exchange ended. The response's {@code Content-Length} is the body's length, so no response is chunked
 * and a HEAD answer announces the length the GET would send.
 *
 * <p>Ranges are done here rather than by the core's automatic ranges because they are evaluated against
 * the file's validators ({@code If-Range}) before the body exists. A file that shrinks while it is sent
 * cuts the response off: the server closes the connection rather than send fewer bytes than announced.
 */
final class FileSender {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileSender() {
    }

    /** Answers 200 with the whole file; the body takes {@code file} over. */
    static void sendWhole(ServerMessage msg, FileChannel file, long size) {
        msg.setStatus(Status.OK);
        msg.getResponseBody().appendFile(file, 0, size);
    }

    /** Answers 206 with one range and its {@code Content-Range}; the body takes {@code file} over. */
    static void sendRange(ServerMessage msg, FileChannel file, long size, Range range) {
        msg.setStatus(Status.PARTIAL_CONTENT);
        msg.getResponseHeaders().setContentRange(range.start(), range.end(), size);
        msg.getResponseBody().appendFile(file, range.start(), range.length());
    }

    /**
     * Answers 206 with several ranges as {@code multipart/byteranges} (RFC 9110 section 14.6), each part
     * carrying the file's content type and its own {@code Content-Range}; the body takes {@code file} over.
     */
    static void sendRanges(ServerMessage msg, FileChannel file, long size, List<Range> ranges, String contentType) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String boundary = "ladle-" + HexFormat.of().formatHex(random);
        msg.setStatus(Status.PARTIAL_CONTENT);
        msg.getResponseHeaders().replace("Content-Type", "multipart/byteranges; boundary=" + boundary);
        MessageBody body = msg.getResponseBody();
        for (Range range : ranges) {
            body.appendOwned(("\r\n--" + boundary + "\r\nContent-Type: " + contentType + "\r\nContent-Range: bytes "
                    + range.start() + "-" + range.end() + "/" + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.appendFile(file, range.start(), range.length());
        }
        body.appendOwned(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }
}
