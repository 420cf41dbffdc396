package dev.ladle.server.internal;

import dev.ladle.http.Encoding;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;

/**
 * How a response body is delimited, decided the same way for HTTP/1 and HTTP/2 from the status, the
 * handler's encoding and whether it streams; each protocol then frames it its own way (chunked or
 * close-delimited, or DATA frames).
 */
enum BodyFraming {
    /** No body may follow: 1xx, 204, 304, a successful CONNECT. */
    NONE,
    /** The body is produced as the handler goes, or compressed as it is written; its length is unknown. */
    STREAMED,
    /** The handler declared a Content-Length ({@code ex.responseLength}). */
    DECLARED,
    /** The body was complete: its own length ({@code ex.responseLength}), written by the protocol. */
    COMPUTED;

    /**
     * Decides the framing of {@code ex}'s response, removes the framing headers that cannot apply, and
     * sets {@code ex.responseLength} and {@code ex.streamingBody}.
     *
     * @param tunnel a successful CONNECT: no framing headers (RFC 9110 section 9.3.6)
     */
    static BodyFraming of(Exchange ex, boolean tunnel) {
        int status = ex.getStatus();
        MessageHeaders headers = ex.getResponseHeaders();
        if (Status.isInformational(status) || status == Status.NO_CONTENT || tunnel) {
            headers.remove("Content-Length");
            headers.remove("Transfer-Encoding");
            return NONE;
        }
        if (status == Status.NOT_MODIFIED) {
            headers.remove("Transfer-Encoding");
            return NONE;
        }
        Encoding encoding = headers.getEncoding();
        boolean streaming = ex.responseStream != null;
        if (ex.compressor != null) {
            // the compressed length is known only once all is compressed: the body is delimited as it goes
            ex.streamingBody = encoding == Encoding.CHUNKED || encoding == Encoding.EOF || streaming;
            return STREAMED;
        }
        if (encoding == Encoding.CHUNKED || encoding == Encoding.EOF || streaming && encoding != Encoding.CONTENT_LENGTH) {
            ex.streamingBody = true;
            return STREAMED;
        }
        MessageBody body = ex.responseBodyIfCreated();
        if (encoding == Encoding.CONTENT_LENGTH && headers.getContentLength() >= 0) {
            ex.responseLength = headers.getContentLength();
            ex.streamingBody = body == null || !body.isComplete() || body.length() < ex.responseLength;
            return DECLARED;
        }
        ex.responseLength = body == null ? 0 : body.length();
        return COMPUTED;
    }
}
