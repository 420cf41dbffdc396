package dev.ladle.http;

/** The HTTP protocol versions a {@code ServerMessage} can carry. */
public enum HttpVersion {
    /** HTTP/1.0 (RFC 1945): no persistent connections unless asked for, no chunked coding. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1 (RFC 9112). */
    HTTP_1_1("HTTP/1.1"),
    /** HTTP/2 (RFC 9113); reserved for the HTTP/2 engine. */
    HTTP_2("HTTP/2");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** Returns the version as it appears on a status line, for example {@code HTTP/1.1}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
