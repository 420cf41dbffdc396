package dev.ladle.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The endpoints and payloads every server in the benchmark answers the same way.
 *
 * <ul>
 *   <li>{@code GET /plaintext}: 200, {@code text/plain}, the 13 bytes {@code Hello, World!};</li>
 *   <li>{@code POST /echo}: 200 with the request body as the response body;</li>
 *   <li>{@code POST /upload}: reads the body as a stream without keeping it and answers 200 with the
 *       number of bytes received, as decimal text;</li>
 *   <li>{@code GET /bytes16k}: 200, {@code application/octet-stream}, 16 KiB (16,384 bytes) of
 *       {@link #bytes16k()}: in HTTP/2 a whole DATA frame at the default maximum frame size, so that
 *       flow control matters (the default 64 KiB windows hold four such answers);</li>
 *   <li>{@code /ws}: WebSocket echo of text and binary messages, where the server has WebSocket.</li>
 * </ul>
 *
 * <p>Servers that speak HTTP/2 answer the same endpoints over h2c (prior knowledge, on the plain port)
 * and over h2 (ALPN, on the TLS port), next to HTTP/1.1 on the same ports.
 */
public final class Endpoints {
    /** The plaintext path. */
    public static final String PLAINTEXT = "/plaintext";
    /** The echo path. */
    public static final String ECHO = "/echo";
    /** The streamed-upload path. */
    public static final String UPLOAD = "/upload";
    /** The 16 KiB download path. */
    public static final String BYTES_16K = "/bytes16k";
    /** The WebSocket echo path. */
    public static final String WEBSOCKET = "/ws";
    /** The host every server binds: loopback only, the load never leaves the machine. */
    public static final String HOST = "127.0.0.1";
    /** The content type of the plaintext and upload answers. */
    public static final String TEXT_PLAIN = "text/plain";
    /** The content type of the echo answer. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES_16K_BODY = new byte[16 * 1024];

    static {
        // printable, and not all one byte, so that a truncated or shifted answer shows in a test
        for (int i = 0; i < BYTES_16K_BODY.length; i++) {
            BYTES_16K_BODY[i] = (byte) ('a' + i % 26);
        }
    }

    private Endpoints() {
    }

    /**
     * Opens a client connection to {@code port} on {@code host} as every hand-written client of the
     * benchmark does: {@code TCP_NODELAY} (a request or frame must not wait for an acknowledgement), ten
     * seconds to connect.
     *
     * @param readTimeoutMillis the socket's read timeout, 0 for none
     */
    public static Socket connect(String host, int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(readTimeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Returns the 13-byte plaintext body; callers must not change the array. */
    public static byte[] hello() {
        return HELLO;
    }

    /** Returns the 16 KiB body of {@link #BYTES_16K}; callers must not change the array. */
    public static byte[] bytes16k() {
        return BYTES_16K_BODY;
    }

    /** Returns the upload answer's body: the byte count as decimal ASCII text. */
    public static byte[] uploadAnswer(long received) {
        return Long.toString(received).getBytes(StandardCharsets.US_ASCII);
    }
}
