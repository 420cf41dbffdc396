package dev.ladle.server.internal;

import dev.ladle.server.ServerCallback;
import dev.ladle.server.WebSocketCallback;
import java.util.List;

/**
 * Everything registered at one path: libsoup keeps the early, normal and WebSocket handlers of a path
 * in one entry, and lookup finds the entry, not the individual handler. Immutable; registration
 * replaces the entry.
 *
 * @param path the registered path ({@code /} for the default handler, {@code *} for the asterisk target)
 * @param early the early handler, or null
 * @param normal the normal handler, or null
 * @param webSocket the WebSocket endpoint, or null
 */
public record HandlerEntry(String path, ServerCallback early, ServerCallback normal, WebSocketEndpoint webSocket) {

    /**
     * A WebSocket handler and its handshake requirements.
     *
     * @param origin the required {@code Origin}, or null for any
     * @param protocols the sub-protocols the handler speaks, in order of preference, or null for no check
     * @param callback called with each new connection
     */
    public record WebSocketEndpoint(String origin, List<String> protocols, WebSocketCallback callback) {
    }

    /** Returns a copy with {@code callback} as the early handler. */
    public HandlerEntry withEarly(ServerCallback callback) {
        return new HandlerEntry(path, callback, normal, webSocket);
    }

    /** Returns a copy with {@code callback} as the normal handler. */
    public HandlerEntry withNormal(ServerCallback callback) {
        return new HandlerEntry(path, early, callback, webSocket);
    }

    /** Returns a copy with {@code endpoint} as the WebSocket handler. */
    public HandlerEntry withWebSocket(WebSocketEndpoint endpoint) {
        return new HandlerEntry(path, early, normal, endpoint);
    }
}
