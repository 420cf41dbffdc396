package dev.ladle.server.internal;

import dev.ladle.server.ServerMessage;
import java.util.Map;

/**
 * What {@code dev.ladle.route} needs of a message beyond its public API: the handler path it was given
 * under, a place for path parameters, and whether the exchange can still be answered. This package is not
 * exported, so applications cannot reach it; messages that are not the server's own (a test's fake) get
 * the neutral answers.
 */
public final class RoutingAccess {
    private RoutingAccess() {
    }

    /**
     * Returns the registered path of the handler entry that covers the request ({@code /} for the default
     * handler): the prefix a router strips before matching its templates.
     */
    public static String handlerPath(ServerMessage msg) {
        return msg instanceof Exchange ex && ex.handlerPath != null ? ex.handlerPath : "/";
    }

    /**
     * Returns {@code path} below {@code handlerPath} (a {@link #handlerPath}): from the slash after it, so
     * {@code /static/css/a.css} is {@code /css/a.css} below {@code /static} and {@code /static/} alike; empty
     * for the handler path itself without its slash ({@code /static}); the whole path below {@code /}; null
     * when {@code handlerPath} does not cover {@code path} on a segment boundary (a handler called by another
     * with a path of its own).
     */
    public static String below(String handlerPath, String path) {
        // "/static/" and "/static" name the same place
        int end = handlerPath.length() > 1 && handlerPath.endsWith("/") ? handlerPath.length() - 1 : handlerPath.length();
        if (end == 1) {
            return path;
        }
        if (!path.regionMatches(0, handlerPath, 0, end) || path.length() > end && path.charAt(end) != '/') {
            return null;
        }
        return path.substring(end);
    }

    /** Puts the values a route's template took from the path on the message (an unmodifiable map). */
    public static void setPathParameters(ServerMessage msg, Map<String, String> values) {
        if (msg instanceof Exchange ex) {
            ex.setPathParameters(values);
        }
    }

    /**
     * Returns false when an exception must go to the server's own failure handling rather than be
     * mapped to a response: the head went out already (the response must end cut short), the client left,
     * the body the handler streamed was malformed (the server answers its 4xx), the connection was stolen,
     * or the response timeout answered.
     */
    public static boolean canStillAnswer(ServerMessage msg) {
        if (!(msg instanceof Exchange ex)) {
            return true;
        }
        return !ex.headersWritten && !ex.stolen && !ex.timedOut() && !ex.bodyInputFailed && ex.bodyError == null
                && !ex.io.outputFailed();
    }
}
