/**
 * Ladle: an embeddable HTTP/1.1, HTTP/2 and WebSocket server modelled on libsoup's {@code SoupServer}.
 * Depends on nothing but the JDK: {@code java.base}, and {@code jdk.jfr} for its Flight Recorder events.
 */
module dev.ladle.server {
    requires jdk.jfr;

    exports dev.ladle.server;
    exports dev.ladle.http;
    exports dev.ladle.auth;
    exports dev.ladle.websocket;
    exports dev.ladle.tls;
    exports dev.ladle.codec;
    exports dev.ladle.route;
    exports dev.ladle.files;
    exports dev.ladle.sse;
}
