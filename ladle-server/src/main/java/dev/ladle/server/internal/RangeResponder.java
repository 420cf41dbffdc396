package dev.ladle.server.internal;

import dev.ladle.http.HttpDates;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Range;
import dev.ladle.http.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Applies a request's {@code Range} to a complete response (RFC 9110 section 14), as libsoup does
 * automatically: only for GET, status 200, a complete non-empty accumulated body whose length the server
 * computes. One range gives 206 with {@code Content-Range}; several give {@code multipart/byteranges};
 * none satisfiable gives 416 with {@code Content-Range: bytes *}{@code /N}. {@code If-Range} is
 * honoured. A handler opts out by setting {@code Accept-Ranges: none} or any Content-Range itself. The
 * parts share the body's memory and files: nothing is copied, a file is not read.
 */
final class RangeResponder {

    private RangeResponder() {
    }

    static void apply(Exchange ex) {
        if (!ex.hasRange || ex.getStatus() != Status.OK || !"GET".equals(ex.method)) {
            return;
        }
        MessageBody body = ex.responseBodyIfCreated();
        MessageHeaders response = ex.getResponseHeaders();
        if (body == null || body.length() == 0 || !body.getAccumulate() || ex.streamingBody
                || response.contains("Transfer-Encoding") || response.contains("Content-Range")
                || response.headerEquals("Accept-Ranges", "none")) {
            return;
        }
        MessageHeaders request = ex.getRequestHeaders();
        if (!ifRangeMatches(request.getOne("If-Range"), response)) {
            return;
        }
        long total = body.length();
        List<Range> ranges = request.getRanges(total);
        if (ranges == null) {
            return;
        }
        if (ranges.isEmpty()) {
            ex.setStatusInternal(Status.RANGE_NOT_SATISFIABLE);
            response.replace("Content-Range", "bytes */" + total);
            response.remove("Content-Type");
            // the empty body is in no coding (a precompressed file's 416 must not claim gzip)
            response.remove("Content-Encoding");
            ex.setResponseBodyInternal(new byte[0]);
            return;
        }
        // the ranges are views of the body (and sub-regions of its files), never copies of it
        BodyAccess access = BodyAccess.get();
        MessageBody whole = access.moveOut(body);
        ex.setStatusInternal(Status.PARTIAL_CONTENT);
        response.remove("Content-Length");
        if (ranges.size() == 1) {
            Range r = ranges.get(0);
            response.setContentRange(r.start(), r.end(), total);
            access.appendSlice(body, whole, r.start(), r.length());
            return;
        }
        byte[] boundaryBytes = new byte[16];
        // only multi-range answers need one, so the generator is not made at start
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(boundaryBytes);
        String boundary = HexFormat.of().formatHex(boundaryBytes);
        String type = response.getOne("Content-Type");
        for (Range r : ranges) {
            StringBuilder part = new StringBuilder("\r\n--").append(boundary).append("\r\n");
            if (type != null) {
                part.append("Content-Type: ").append(type).append("\r\n");
            }
            part.append("Content-Range: bytes ").append(r.start()).append('-').append(r.end()).append('/').append(total)
                    .append("\r\n\r\n");
            body.appendOwned(part.toString().getBytes(StandardCharsets.ISO_8859_1));
            access.appendSlice(body, whole, r.start(), r.length());
        }
        body.appendOwned(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        response.replace("Content-Type", "multipart/byteranges; boundary=" + boundary);
    }

    /** {@code If-Range}: an entity tag must strongly match the ETag; a date must equal Last-Modified. */
    private static boolean ifRangeMatches(String ifRange, MessageHeaders response) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"")) {
            String etag = response.getOne("ETag");
            return etag != null && etag.trim().equals(value);
        }
        if (value.startsWith("W/")) {
            return false;
        }
        Instant date = HttpDates.parse(value);
        Instant lastModified = HttpDates.parse(response.getOne("Last-Modified"));
        return date != null && date.equals(lastModified);
    }
}
