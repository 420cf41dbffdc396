package dev.ladle.route;

import dev.ladle.http.Tokens;
import java.util.Objects;

/**
 * One route of a {@link Router}: the method and path template it answers, its handler, and whether the
 * handler reads the request body as a stream ({@link Router#postStreaming}).
 *
 * @param method the request method, case-sensitive as in HTTP ({@code GET}, {@code POST} ...)
 * @param template the path template, matched below the prefix the router is registered at
 * @param handler what answers the request
 * @param streamingBody true when the server leaves the body unread for the handler to read through
 *     {@link dev.ladle.server.ServerMessage#getRequestBodyStream()}
 */
public record Route(String method, PathTemplate template, RouteHandler handler, boolean streamingBody) {
    /**
     * Checks the parts.
     *
     * @throws NullPointerException when a part is null
     * @throws IllegalArgumentException when {@code method} is not an HTTP token
     */
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
        if (!Tokens.isToken(method)) {
            throw new IllegalArgumentException("not an HTTP method: \"" + method + "\"");
        }
    }

    /** Returns {@code METHOD template}, as in {@code GET /todos/{id}}. */
    @Override
    public String toString() {
        return method + " " + template + (streamingBody ? " (streaming body)" : "");
    }
}
