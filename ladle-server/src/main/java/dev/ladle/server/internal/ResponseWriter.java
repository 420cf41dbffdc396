package dev.ladle.server.internal;

import dev.ladle.http.Encoding;
import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes an HTTP/1 response: chooses its framing, writes the status line and headers, and frames the
 * body pieces that {@link BodySender} hands it (chunked, by length, or up to the close), firing the
 * message's write events for the head.
 */
final class ResponseWriter {
    /** Status lines with the standard phrase, by version and code, made on first use. */
    private static final byte[][][] STATUS_LINES = new byte[2][1000][];

    /** Returns {@code "HTTP/1.x NNN Phrase\r\n"} as bytes, cached. */
    private static byte[] statusLine(HttpVersion version, int status) {
        byte[][] lines = STATUS_LINES[version == HttpVersion.HTTP_1_0 ? 0 : 1];
        byte[] line = lines[status];
        if (line == null) {
            // a race here only builds the same bytes twice
            line = (version.text() + " " + status + " " + Status.phrase(status) + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            lines[status] = line;
        }
        return line;
    }

    private final HttpConnection connection;
    private final OutputBuffer out;

    ResponseWriter(HttpConnection connection, OutputBuffer out) {
        this.connection = connection;
        this.out = out;
    }

    /** How the body of the response in progress is framed. */
    enum Framing { NONE, LENGTH, CHUNKED, EOF }

    /**
     * Writes the status line and headers, deciding framing and persistence.
     *
     * @param keepAlive whether the connection may stay open as far as the request is concerned
     * @return the framing chosen; {@link Framing#EOF} means the connection must close after the body
     */
    Framing writeHead(Exchange ex, boolean keepAlive) throws IOException {
        int status = ex.getStatus();
        MessageHeaders headers = ex.getResponseHeaders();
        HttpVersion version = ex.getHttpVersion() == HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        boolean http10Client = ex.requestVersion() == HttpVersion.HTTP_1_0;
        boolean head = "HEAD".equals(ex.method);

        // a successful CONNECT turns the connection into a tunnel: no framing headers (RFC 9110 section 9.3.6)
        boolean tunnel = "CONNECT".equals(ex.method) && Status.isSuccessful(status);
        BodyFraming decided = BodyFraming.of(ex, tunnel);
        boolean noBodyAllowed = decided == BodyFraming.NONE;
        Framing framing;
        long computedLength = -1;
        switch (decided) {
            case NONE -> framing = Framing.NONE;
            case STREAMED -> {
                Encoding encoding = headers.getEncoding();
                if (http10Client || encoding == Encoding.EOF) {
                    headers.remove("Transfer-Encoding");
                    framing = Framing.EOF;
                } else {
                    if (encoding != Encoding.CHUNKED) {
                        headers.replace("Transfer-Encoding", "chunked");
                    }
                    framing = Framing.CHUNKED;
                }
            }
            case DECLARED -> framing = Framing.LENGTH;
            default -> {
                // written straight to the wire below: no string, no header entry
                computedLength = ex.responseLength;
                framing = Framing.LENGTH;
            }
        }
        if (framing == Framing.EOF || headers.headerContains("Connection", "close")) {
            keepAlive = false;
        }
        if (head || noBodyAllowed) {
            // no body bytes follow, so close-delimited framing needs no close
            if (framing == Framing.EOF && head) {
                keepAlive = false;
            }
        }
        if (!keepAlive) {
            if (!headers.headerContains("Connection", "close")) {
                headers.append("Connection", "close");
            }
        } else if (http10Client && !headers.headerContains("Connection", "keep-alive")) {
            headers.append("Connection", "keep-alive");
        }
        ex.closeAfterResponse = !keepAlive;

        if (ex.getReasonPhrase() == null) {
            byte[] line = statusLine(version, status);
            out.write(line, 0, line.length);
        } else {
            out.writeAscii(version.text());
            out.writeByte(' ');
            out.writeDecimal(status);
            out.writeByte(' ');
            out.writeAscii(ex.getReasonPhrase());
            out.writeCrlf();
        }
        int n = headers.size();
        for (int i = 0; i < n; i++) {
            out.writeAscii(headers.nameAt(i));
            out.writeByte(':');
            out.writeByte(' ');
            out.writeAscii(headers.valueAt(i));
            out.writeCrlf();
        }
        if (computedLength >= 0) {
            out.writeAscii("Content-Length: ");
            out.writeDecimal(computedLength);
            out.writeCrlf();
        }
        out.writeCrlf();
        ex.headersWritten = true;
        if (ex.streamingBody) {
            ex.getResponseBody();
        }
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            if (Status.isInformational(status) && status != Status.SWITCHING_PROTOCOLS) {
                out.flush();
                MessageEvents.run(events.wroteInformational);
            } else if (!events.wroteHeaders.isEmpty()) {
                out.flush();
                MessageEvents.run(events.wroteHeaders);
            }
        }
        return head || noBodyAllowed ? Framing.NONE : framing;
    }

    /** Writes {@code 100 Continue} and flushes it. */
    void writeContinue(Exchange ex) throws IOException {
        out.writeAscii("HTTP/1.1 100 Continue\r\n\r\n");
        out.flush();
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.wroteInformational);
        }
    }

    /** Writes one piece of body with the framing's envelope; flushes when {@code flush}. */
    void writeChunk(Framing framing, ByteBuffer data, boolean flush) throws IOException {
        if (framing == Framing.CHUNKED) {
            out.writeHex(data.remaining());
            out.writeCrlf();
            out.write(data);
            out.writeCrlf();
        } else {
            out.write(data);
        }
        if (flush) {
            out.flush();
        }
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} as one piece of body, with the
     * framing's envelope; returns the bytes that went by {@code sendfile}.
     */
    long writeFile(Framing framing, java.nio.channels.FileChannel file, long position, long count) throws IOException {
        if (framing == Framing.CHUNKED) {
            out.writeHex(count);
            out.writeCrlf();
        }
        long transferred = out.writeFile(file, position, count);
        if (framing == Framing.CHUNKED) {
            out.writeCrlf();
        }
        return transferred;
    }

    /** Ends a body: the last chunk for chunked framing. */
    void writeEnd(Framing framing) throws IOException {
        if (framing == Framing.CHUNKED) {
            out.writeAscii("0\r\n\r\n");
        }
    }

    /** Writes a complete error response with a short text body and {@code Connection: close} as asked. */
    void writeError(Exchange ex, int status, String reason, boolean close) throws IOException {
        ex.setErrorResponse(status, reason);
        if (close) {
            ex.getResponseHeaders().append("Connection", "close");
        }
        ex.setHttpVersion(HttpVersion.HTTP_1_1);
        Framing framing = writeHead(ex, !close);
        BodySender.send(ex, connection, framing);
    }
}
