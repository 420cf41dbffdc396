package dev.ladle.examples.guide.handlers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A client for exact bytes: writes what a test says and reads responses one at a time (tests of the guide's chapters). */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    /** One response: status, headers (names in lower case, last value wins) and body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public RawHttp(URI base) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads a status line and headers, no body (a 1xx, or a head whose body the test reads itself). */
    public Response readHead() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, new byte[0]);
    }

    /** Reads a whole response: its body framed by Content-Length, chunks, or the end of the connection. */
    public Response read() throws IOException {
        Response head = readHead();
        byte[] body;
        if (head.header("content-length") != null) {
            body = in.readNBytes(Integer.parseInt(head.header("content-length")));
        } else if ("chunked".equals(head.header("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                all.writeBytes(chunk);
            }
            body = all.toByteArray();
        } else if (head.status() == 204 || head.status() == 304 || head.status() < 200) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(head.status(), head.headers(), body);
    }

    /** Reads one chunk of a chunked body; null at the last chunk (whose trailers are skipped). */
    public byte[] readChunk() throws IOException {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
            while (!line().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] chunk = in.readNBytes(size);
        line();
        return chunk;
    }

    /** True when the server closed the connection: a read sees the end. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("connection closed after: " + sb);
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
