package dev.ladle.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw-socket HTTP/1.1 client for exact-byte auth tests: sends what it is told, reads responses with Content-Length. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(URI server) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends {@code text} as ISO-8859-1 bytes (header text is one byte per char). */
    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends {@code GET target} with the given extra header lines (each without CRLF). */
    RawHttp get(String target, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String line : headerLines) {
            sb.append(line).append("\r\n");
        }
        return send(sb.append("\r\n").toString());
    }

    /** A response: the status, every header field in order, the body. */
    record Response(int status, List<String[]> fields, String body) {
        /** Returns every value of {@code name}, in order. */
        List<String> all(String name) {
            return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).toList();
        }

        /** Returns the first value of {@code name}, or null. */
        String one(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** Reads one response (bodies framed by Content-Length only, which is what these tests get). */
    Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        List<String[]> fields = new ArrayList<>();
        String line;
        long length = 0;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            fields.add(new String[] {name, value});
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            }
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        byte[] body = status / 100 == 1 ? new byte[0] : in.readNBytes((int) length);
        return new Response(status, fields, new String(body, StandardCharsets.UTF_8));
    }

    /** Returns true when the server closes the connection (EOF or reset) within three seconds. */
    boolean isClosedByServer() throws IOException {
        socket.setSoTimeout(3000);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
