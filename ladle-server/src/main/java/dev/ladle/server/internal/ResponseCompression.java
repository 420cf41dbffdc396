package dev.ladle.server.internal;

import dev.ladle.http.Encoding;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.Compression;

/**
 * The response step that decides whether a response is compressed, right before its head is written
 * (after {@link RangeResponder}, so a range is always cut from the uncompressed body), and prepares it:
 * a complete small body is compressed here, in memory, and keeps a {@code Content-Length}; any other is
 * given a {@link BodyCompressor} that the body is written through. The rules are those
 * {@link Compression} states for users.
 */
final class ResponseCompression {
    /** Complete bodies up to this size are compressed in memory, as {@link BodySender} sends them flat. */
    static final int IN_MEMORY_LIMIT = 64 * 1024;

    private ResponseCompression() {
    }

    /** Applies the message's (else the server's) compression setting to the response about to be written. */
    static void apply(Exchange ex) {
        Compression setting = ex.getCompression();
        if (!setting.isEnabled() || ex.headersWritten || ex.compressor != null) {
            return;
        }
        int status = ex.getStatus();
        if (Status.isInformational(status) || status == Status.NO_CONTENT || status == Status.NOT_MODIFIED
                || "CONNECT".equals(ex.method)) {
            return;
        }
        MessageHeaders response = ex.getResponseHeaders();
        if (response.contains("Content-Encoding") || response.headerContains("Cache-Control", "no-transform")
                || !setting.compresses(response.getOne("Content-Type"))) {
            return;
        }
        // the response depends on Accept-Encoding whether this one is compressed or not: caches must know
        if (!response.headerContains("Vary", "Accept-Encoding") && !response.headerContains("Vary", "*")) {
            response.append("Vary", "Accept-Encoding");
        }
        if (status == Status.PARTIAL_CONTENT || response.contains("Content-Range")) {
            // a range is of the uncompressed bytes, as its Content-Range says
            return;
        }
        Compression.Coding coding = AcceptEncoding.choose(ex.getRequestHeaders().getList("Accept-Encoding"),
                setting.getCodings());
        if (coding == null) {
            return;
        }
        boolean head = "HEAD".equals(ex.method);
        MessageBody body = ex.responseBodyIfCreated();
        Encoding encoding = response.getEncoding();
        if (encoding == Encoding.UNRECOGNIZED) {
            // a transfer coding the handler chose itself: its body is not ours to re-encode
            return;
        }
        boolean streamed = encoding == Encoding.CHUNKED || encoding == Encoding.EOF
                || ex.responseStream != null && encoding != Encoding.CONTENT_LENGTH;
        long declared = encoding == Encoding.CONTENT_LENGTH ? response.getContentLength() : -1;
        long length;
        if (streamed) {
            length = -1;
        } else if (declared >= 0) {
            long have = body == null ? 0 : body.length();
            if (have != declared && !head) {
                // the handler promised more than it gave: the rest comes later, and where it ends is
                // known only by that length, which compressing would take away
                return;
            }
            length = declared;
        } else {
            length = body == null ? 0 : body.length();
        }
        if (length == 0 || length > 0 && length < setting.getMinimumSize()) {
            return;
        }
        if (!head && !streamed && length <= IN_MEMORY_LIMIT && body.getAccumulate()) {
            compressInMemory(ex, body, coding, setting.getLevel());
            return;
        }
        // compressed as it is written, so its length is not known: delimited by chunks or DATA frames
        response.remove("Content-Length");
        markCompressed(response, coding);
        ex.compressor = new BodyCompressor(coding, setting.getLevel());
    }

    /** Replaces a complete small body with its compressed bytes, unless they would not be fewer. */
    private static void compressInMemory(Exchange ex, MessageBody body, Compression.Coding coding, int level) {
        byte[] plain;
        try {
            plain = body.flatten();
        } catch (java.io.UncheckedIOException e) {
            // a file of the body could not be read (it shrank): sending it fails the same way, in one place
            return;
        }
        byte[] compressed = BodyCompressor.compress(coding, level, plain);
        if (compressed.length >= plain.length) {
            // incompressible after all (random bytes behind a text type): sent as it is
            return;
        }
        body.truncate();
        body.appendOwned(compressed);
        body.complete();
        MessageHeaders response = ex.getResponseHeaders();
        response.remove("Content-Length");
        markCompressed(response, coding);
    }

    /**
     * The fields that describe a compressed body: its coding; a weak ETag, since the bytes are no longer
     * those the strong one named; no Accept-Ranges, since ranges are served uncompressed only.
     */
    private static void markCompressed(MessageHeaders response, Compression.Coding coding) {
        response.replace("Content-Encoding", coding.token());
        String etag = response.getOne("ETag");
        if (etag != null && etag.startsWith("\"")) {
            response.replace("ETag", "W/" + etag);
        }
        response.remove("Accept-Ranges");
    }
}
