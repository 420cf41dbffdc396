package dev.ladle.server.internal;

import dev.ladle.http.Status;
import dev.ladle.http.Tokens;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Transfer-Encoding: chunked} body (RFC 9112 section 7.1): strict CRLFs, hex sizes of at most
 * 16 digits, chunk extensions validated and ignored, trailer fields validated and kept.
 */
final class ChunkedBodyReader implements BodyReader {
    private static final int MAX_SIZE_LINE = 4096;

    private final InputBuffer in;
    private final int maxTrailerSize;
    private final List<String> trailers = new ArrayList<>(0);
    private long chunkLeft;
    private boolean inChunk;
    private boolean done;

    ChunkedBodyReader(InputBuffer in, int maxTrailerSize) {
        this.in = in;
        this.maxTrailerSize = maxTrailerSize;
    }

    /** Returns the trailer fields as {@code [name, value, name, value...]}; complete once {@link #isDone()}. */
    @Override
    public List<String> trailers() {
        return trailers;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException, HttpException {
        if (done) {
            return -1;
        }
        if (!inChunk) {
            long size = readSizeLine();
            if (size == 0) {
                readTrailers();
                done = true;
                return -1;
            }
            chunkLeft = size;
            inChunk = true;
        }
        int n = in.read(dst, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            if (next() != '\r' || next() != '\n') {
                throw new HttpException(Status.BAD_REQUEST, "chunk data not followed by CRLF");
            }
            inChunk = false;
        }
        return n;
    }

    private int next() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("connection closed inside chunked framing");
        }
        return c;
    }

    private long readSizeLine() throws IOException, HttpException {
        long size = 0;
        int digits = 0;
        int c = next();
        while (true) {
            int v = Character.digit(c, 16);
            if (v < 0) {
                break;
            }
            if (++digits > 16) {
                throw new HttpException(Status.CONTENT_TOO_LARGE, "chunk size too large");
            }
            size = (size << 4) | v;
            c = next();
        }
        if (digits == 0 || size < 0) {
            throw new HttpException(digits == 0 ? Status.BAD_REQUEST : Status.CONTENT_TOO_LARGE,
                    digits == 0 ? "invalid chunk size" : "chunk size too large");
        }
        int length = digits;
        // only BWS may sit between the size and ";" or CRLF: "5g" or "0x5" must not pass as a size
        while (c == ' ' || c == '\t') {
            c = next();
            length++;
        }
        if (c != ';' && c != '\r' && c != '\n') {
            throw new HttpException(Status.BAD_REQUEST, "invalid chunk size");
        }
        // chunk-ext: BWS ";" name [ "=" value ], validated loosely and ignored
        while (c != '\r') {
            if (c == '\n') {
                throw new HttpException(Status.BAD_REQUEST, "chunk size line ends in a bare LF");
            }
            if (c != ';' && c != ' ' && c != '\t' && c != '=' && c != '"' && c != '\\' && !Tokens.isTokenChar(c)
                    && !(c >= 0x80)) {
                throw new HttpException(Status.BAD_REQUEST, "invalid character in chunk size line");
            }
            if (++length > MAX_SIZE_LINE) {
                throw new HttpException(Status.BAD_REQUEST, "chunk size line too long");
            }
            c = next();
        }
        if (next() != '\n') {
            throw new HttpException(Status.BAD_REQUEST, "bare CR in chunk size line");
        }
        return size;
    }

    private void readTrailers() throws IOException, HttpException {
        int total = 0;
        byte[] line = new byte[256];
        while (true) {
            int len = 0;
            int c;
            while ((c = next()) != '\r') {
                if (c == '\n') {
                    throw new HttpException(Status.BAD_REQUEST, "trailer line ends in a bare LF");
                }
                if (++total > maxTrailerSize) {
                    throw new HttpException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "trailer section too large");
                }
                if (len == line.length) {
                    line = java.util.Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) c;
            }
            if (next() != '\n') {
                throw new HttpException(Status.BAD_REQUEST, "bare CR in trailer section");
            }
            if (len == 0) {
                return;
            }
            addTrailer(line, len);
        }
    }

    private void addTrailer(byte[] line, int len) throws HttpException {
        int colon = 0;
        while (colon < len && line[colon] != ':') {
            if (!Tokens.isTokenChar(line[colon] & 0xff)) {
                throw new HttpException(Status.BAD_REQUEST, "invalid trailer field name");
            }
            colon++;
        }
        if (colon == 0 || colon == len) {
            throw new HttpException(Status.BAD_REQUEST, "malformed trailer field");
        }
        int vs = colon + 1;
        int ve = len;
        while (vs < ve && (line[vs] == ' ' || line[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t')) {
            ve--;
        }
        for (int k = vs; k < ve; k++) {
            if (!Tokens.isFieldValueChar(line[k] & 0xff)) {
                throw new HttpException(Status.BAD_REQUEST, "control character in trailer value");
            }
        }
        trailers.add(new String(line, 0, colon, StandardCharsets.ISO_8859_1));
        trailers.add(new String(line, vs, ve - vs, StandardCharsets.ISO_8859_1));
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public long remaining() {
        return done ? 0 : -1;
    }
}
