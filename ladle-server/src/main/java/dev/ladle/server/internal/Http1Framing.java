package dev.ladle.server.internal;

import dev.ladle.http.HttpVersion;
import dev.ladle.http.Status;
import dev.ladle.server.Limits;
import java.util.Locale;

/**
 * The parts of an HTTP/1 request head that only HTTP/1 has (RFC 9112): the Host header it requires,
 * and the framing of the body that follows, from {@code Transfer-Encoding} or {@code Content-Length}.
 */
final class Http1Framing {
    private Http1Framing() {
    }

    /** Checks Host and framing, and returns the reader of the body that follows the head. */
    static BodyReader check(Exchange ex, InputBuffer in, Limits limits) throws HttpException {
        if (ex.hostStart < 0) {
            if (ex.version == HttpVersion.HTTP_1_1) {
                throw new HttpException(Status.BAD_REQUEST, "missing Host header");
            }
        } else if (!Hosts.isValidAuthority(ex.headBytes, ex.hostStart, ex.hostEnd)) {
            throw new HttpException(Status.BAD_REQUEST, "invalid Host header");
        }
        if (ex.transferEncoding != null) {
            checkTransferEncoding(ex);
            return new ChunkedBodyReader(in, limits.getMaxHeaderSectionSize());
        }
        if (ex.declaredLength > 0) {
            return new FixedLengthBodyReader(in, ex.declaredLength);
        }
        return BodyReader.EMPTY;
    }

    private static void checkTransferEncoding(Exchange ex) throws HttpException {
        if (ex.version == HttpVersion.HTTP_1_0) {
            throw new HttpException(Status.BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (ex.declaredLength >= 0) {
            throw new HttpException(Status.BAD_REQUEST, "both Content-Length and Transfer-Encoding");
        }
        String[] codings = ex.transferEncoding.split(",", -1);
        int chunked = 0;
        boolean unknown = false;
        for (String raw : codings) {
            String coding = raw.trim();
            int semi = coding.indexOf(';');
            String name = (semi < 0 ? coding : coding.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new HttpException(Status.BAD_REQUEST, "empty transfer coding");
            }
            if (name.equals("chunked")) {
                chunked++;
            } else {
                unknown = true;
            }
        }
        String last = codings[codings.length - 1].trim();
        if (!last.equalsIgnoreCase("chunked")) {
            throw new HttpException(Status.BAD_REQUEST, "the last transfer coding is not chunked");
        }
        if (chunked > 1) {
            throw new HttpException(Status.BAD_REQUEST, "chunked applied more than once");
        }
        if (unknown) {
            throw new HttpException(Status.NOT_IMPLEMENTED, "unsupported transfer coding");
        }
    }
}
