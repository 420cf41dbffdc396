package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Locale;

/**
 * A raw-socket client for the engine tests: writes exact bytes, parses responses strictly enough to
 * notice a stray body byte, and tells whether the server kept or closed the connection without
 * waiting for a timeout in the common case (a closed connection is seen as EOF at once; an open one is
 * proven by a second request that gets answered).
 */
public final class WireClient implements AutoCloseable {
    /** A request that the engine fixture always answers with 200 {@code GET /probe}. */
    static final String PROBE = "GET /probe HTTP/1.1\r\nHost: probe\r\n\r\n";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public WireClient(URI uri) throws IOException {
        socket = new Socket();
        // an IPv6 host comes bracketed in a URI
        socket.connect(new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort()), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public WireClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public WireClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends {@code GET target} (Host: test) with the given extra header lines, each without its CRLF. */
    public WireClient get(String target, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String line : headerLines) {
            sb.append(line).append("\r\n");
        }
        return send(sb.append("\r\n").toString());
    }

    public Socket socket() {
        return socket;
    }

    public OutputStream output() {
        return out;
    }

    /** Half-closes the client side: the server sees EOF. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** A parsed response; header names lower case, repeated fields kept apart. */
    public record Response(String statusLine, int status, List<String[]> fields, byte[] body) {
        public String header(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : String.join(", ", all);
        }

        /** The first value of {@code name}, or null (a repeated field is not joined). */
        public String one(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : all.get(0);
        }

        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(f[1]);
                }
            }
            return values;
        }

        public boolean hasToken(String name, String token) {
            String v = header(name);
            if (v == null) {
                return false;
            }
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
            return false;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The whole response as text, for asserting that nothing leaks (stack traces, class names). */
        public String text() {
            StringBuilder sb = new StringBuilder(statusLine).append('\n');
            for (String[] f : fields) {
                sb.append(f[0]).append(": ").append(f[1]).append('\n');
            }
            return sb.append('\n').append(bodyText()).toString();
        }
    }

    /** Reads one response to a request that was not HEAD. */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} true when it answers a HEAD request (no body follows). */
    public Response read(boolean head) throws IOException {
        Response r = readHead();
        byte[] body = new byte[0];
        if (!hasNoBody(r, head)) {
            if (r.hasToken("transfer-encoding", "chunked")) {
                body = readChunked();
            } else if (r.header("content-length") != null) {
                int length = Integer.parseInt(r.header("content-length"));
                body = in.readNBytes(length);
                if (body.length < length) {
                    throw new IOException("response body cut short");
                }
            } else {
                body = in.readAllBytes();
            }
        }
        return new Response(r.statusLine(), r.status(), r.fields(), body);
    }

    /** True when {@code r} has no body: it answers HEAD, or its status allows none. */
    static boolean hasNoBody(Response r, boolean head) {
        return head || r.status() / 100 == 1 || r.status() == 204 || r.status() == 304;
    }

    /** Reads a status line and header section; the body (if any) is left unread. */
    public Response readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        assertThat(statusLine).matches("HTTP/1\\.[01] \\d{3} .*");
        List<String[]> fields = new ArrayList<>();
        String line;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            assertThat(colon).as("header line %s", line).isPositive();
            fields.add(new String[] {line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim()});
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        return new Response(statusLine, status, fields, new byte[0]);
    }

    /** Reads one chunk of a chunked body and returns its data; null after the last chunk (and trailers). */
    public byte[] readChunk() throws IOException {
        String size = line();
        if (size == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
            while (!line().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(n);
        line();
        return data;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            body.write(chunk);
        }
        return body.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                assertThat(s).as("response line ends in CRLF").endsWith("\r");
                return s.substring(0, s.length() - 1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns true when the server has closed the connection: EOF or a reset within {@code millis}.
     * Returns false when the server sends more bytes or nothing at all in that time.
     */
    public boolean closedWithin(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /**
     * Asserts that the server closed the connection (seen within 5 s) without sending anything more: a
     * byte before the end, or silence, fails.
     */
    public void assertClosed() throws IOException {
        assertThat(closedWithin(5000)).as("server closed the connection").isTrue();
    }

    /** Asserts that the connection still serves requests: a probe request gets its 200. */
    public void assertOpen() throws IOException {
        send(PROBE);
        Response r = read();
        assertThat(r.status()).as("probe on the same connection").isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("GET /probe");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
