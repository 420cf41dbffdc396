package dev.ladle.server;

import dev.ladle.http.HttpVersion;
import java.io.IOException;
import java.net.URI;

/**
 * The protocols a pipeline test runs over, for {@code @ParameterizedTest @EnumSource(Protocol.class)}:
 * HTTP/1.1 on a raw socket, and HTTP/2 with prior knowledge (h2c) on the same plain listener.
 */
public enum Protocol {
    /** HTTP/1.1, one request at a time on one connection ({@link WireClient} underneath). */
    HTTP_1_1(HttpVersion.HTTP_1_1, "--http1.1"),
    /** HTTP/2 by prior knowledge: each request is a new stream on one connection. */
    HTTP_2(HttpVersion.HTTP_2, "--http2-prior-knowledge");

    private final HttpVersion version;
    private final String curlFlag;

    Protocol(HttpVersion version, String curlFlag) {
        this.version = version;
        this.curlFlag = curlFlag;
    }

    /** Opens a connection to {@code uri}'s host and port (for HTTP/2, after the preface and SETTINGS). */
    public ProtocolClient connect(URI uri) throws IOException {
        return this == HTTP_1_1 ? new Http1Client(uri) : new Http2Client(uri);
    }

    /** The version a handler sees in {@code ServerMessage.getHttpVersion()}. */
    public HttpVersion version() {
        return version;
    }

    /** The curl option that makes curl speak this protocol to an {@code http:} URL. */
    public String curlFlag() {
        return curlFlag;
    }
}
