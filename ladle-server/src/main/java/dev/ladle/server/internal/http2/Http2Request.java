package dev.ladle.server.internal.http2;

import java.util.List;

/**
 * A validated HTTP/2 request head (RFC 9113 §8.3).
 *
 * @param method {@code :method}
 * @param scheme {@code :scheme}, {@code null} for a plain CONNECT
 * @param authority {@code :authority}, {@code null} when absent
 * @param path {@code :path}, {@code null} for a plain CONNECT
 * @param protocol {@code :protocol} of an extended CONNECT (RFC 8441), else {@code null}
 * @param fields alternating name, value; lowercase names; no pseudo-headers; several {@code cookie}
 *     fields joined with {@code "; "}
 * @param contentLength the {@code content-length} value, {@code -1} when absent
 * @param endStream true when no body follows (the HEADERS frame carried END_STREAM)
 */
public record Http2Request(String method, String scheme, String authority, String path, String protocol,
        List<String> fields, long contentLength, boolean endStream) {
}
