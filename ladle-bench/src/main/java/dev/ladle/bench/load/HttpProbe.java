package dev.ladle.bench.load;

import dev.ladle.bench.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends {@code GET /plaintext} and reads the answer by its
 * Content-Length: the smallest client that measures a request's latency without allocating in the loop.
 */
final class HttpProbe implements AutoCloseable {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[8192];

    HttpProbe(String host, int port) throws IOException {
        socket = Endpoints.connect(host, port, 30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends one request and reads the whole answer; returns its status. */
    int get() throws IOException {
        out.write(REQUEST);
        out.flush();
        int filled = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("connection closed after " + filled + " bytes");
            }
            filled += n;
            headEnd = indexOfBlankLine(filled);
        }
        int length = contentLength(headEnd);
        int bodyRead = filled - headEnd;
        while (bodyRead < length) {
            int n = in.read(buffer, 0, Math.min(buffer.length, length - bodyRead));
            if (n < 0) {
                throw new IOException("connection closed in the body");
            }
            bodyRead += n;
        }
        return (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
    }

    private int indexOfBlankLine(int filled) {
        for (int i = 3; i < filled; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private int contentLength(int headEnd) throws IOException {
        String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("answer without Content-Length: " + head);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
