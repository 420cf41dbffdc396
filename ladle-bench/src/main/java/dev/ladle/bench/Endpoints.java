package dev.ladle.bench;

import java.nio.charset.StandardCharsets;

/**
 * The endpoints and payloads every server in the benchmark answers the same way.
 *
 * <ul>
 *   <li>{@code GET /plaintext}: 200, {@code text/plain}, the 13 bytes {@code Hello, World!};</li>
 *   <li>{@code POST /echo}: 200 with the request body as the response body;</li>
 *   <li>{@code POST /upload}: reads the body as a stream without keeping it and answers 200 with the
 *       number of bytes received, as decimal text;</li>
 *   <li>{@code /ws}: WebSocket echo of text and binary messages, where the server has WebSocket.</li>
 * </ul>
 */
public final class Endpoints {
    /** The plaintext path. */
    public static final String PLAINTEXT = "/plaintext";
    /** The echo path. */
    public static final String ECHO = "/echo";
    /** The streamed-upload path. */
    public static final String UPLOAD = "/upload";
    /** The WebSocket echo path. */
    public static final String WEBSOCKET = "/ws";
    /** The host every server binds: loopback only, the load never leaves the machine. */
    public static final String HOST = "127.0.0.1";
    /** The content type of the plaintext and upload answers. */
    public static final String TEXT_PLAIN = "text/plain";
    /** The content type of the echo answer. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private Endpoints() {
    }

    /** Returns the 13-byte plaintext body; callers must not change the array. */
    public static byte[] hello() {
        return HELLO;
    }

    /** Returns the upload answer's body: the byte count as decimal ASCII text. */
    public static byte[] uploadAnswer(long received) {
        return Long.toString(received).getBytes(StandardCharsets.US_ASCII);
    }
}
