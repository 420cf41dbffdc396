package dev.ladle.junit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A raw socket to a mock server, for tests that check the exact bytes a response puts on the wire. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    RawHttp(URI server) throws IOException {
        socket = new Socket(server.getHost(), server.getPort());
        socket.setSoTimeout(10_000);
    }

    /**
     * Sends {@code request} on a fresh connection to {@code server} and returns everything the server
     * sent until it closed the connection.
     */
    static String exchange(URI server, String request) throws IOException {
        try (RawHttp raw = new RawHttp(server)) {
            return raw.send(request).readToEnd();
        }
    }

    /** Sends {@code text} (ISO-8859-1) and returns this. */
    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Sends {@code GET path} with a Host header and nothing else. */
    RawHttp get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: mock\r\n\r\n");
    }

    /** Everything until the server ends the stream (FIN), as ISO-8859-1 text. */
    String readToEnd() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Every byte until the server ends the stream (FIN). */
    byte[] readBytesToEnd() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    /** Reads up to and including the first {@code \r\n\r\n} (one head). */
    String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] so = head.toByteArray();
            int n = so.length;
            if (n >= 4 && so[n - 4] == '\r' && so[n - 3] == '\n' && so[n - 2] == '\r' && so[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
