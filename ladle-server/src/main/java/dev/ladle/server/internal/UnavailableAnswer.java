package dev.ladle.server.internal;

import dev.ladle.http.HttpDates;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code 503 Service Unavailable} the server makes itself when a resource cap acts: a short
 * plain-text body naming the reason and a {@code Retry-After} field. Built fresh from the server's
 * settings, never from an exchange, so that another thread than the exchange's may send it while a
 * handler still owns the exchange.
 */
final class UnavailableAnswer {
    private UnavailableAnswer() {
    }

    /** The {@code Retry-After} value: whole seconds, rounded up. */
    static String retryAfter(ServerState state) {
        Duration delay = state.limits().getRetryAfter();
        long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
        return Long.toString(seconds);
    }

    /** The body: the status phrase and {@code reason}. */
    static byte[] body(String reason) {
        return (Status.phrase(Status.SERVICE_UNAVAILABLE) + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The header fields (no framing fields): Date, Server, Strict-Transport-Security on TLS, Retry-After, Content-Type. */
    static MessageHeaders headers(ServerState state, boolean secure) {
        MessageHeaders headers = new MessageHeaders();
        headers.append("Date", HttpDates.now());
        String server = state.serverHeader();
        if (server != null) {
            headers.append("Server", server);
        }
        String strictTransportSecurity = state.strictTransportSecurity();
        if (strictTransportSecurity != null && secure) {
            headers.append("Strict-Transport-Security", strictTransportSecurity);
        }
        headers.append("Retry-After", retryAfter(state));
        headers.append("Content-Type", "text/plain; charset=utf-8");
        return headers;
    }

    /** The whole HTTP/1.1 response, with {@code Content-Length} and {@code Connection: close}. */
    static byte[] http1(ServerState state, boolean secure, String reason) {
        byte[] body = body(reason);
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 503 ")
                .append(Status.phrase(Status.SERVICE_UNAVAILABLE)).append("\r\n");
        headers(state, secure).forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
