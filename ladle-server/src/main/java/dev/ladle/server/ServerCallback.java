package dev.ladle.server;

import java.util.Map;

/**
 * A handler added with {@link Server#addHandler} or {@link Server#addEarlyHandler}.
 *
 * <p>Runs on the connection's virtual thread, so it may block. It must set a status on the message
 * (or {@linkplain ServerMessage#pause() pause} it) unless it only observes; a normal handler that
 * returns with no status set gives a 500. An exception thrown here also gives a 500 and is logged once.
 */
@FunctionalInterface
public interface ServerCallback {
    /**
     * Handles one request.
     *
     * @param server the server that received the request
     * @param msg the request and its response
     * @param path the request path, percent-decoded unless the server has raw paths, or {@code *}
     * @param query the decoded query string (last value wins for repeated keys), or null when the request
     *     target has no {@code ?}
     * @throws Exception anything; the client then gets a 500 unless a status was already set
     */
    void handle(Server server, ServerMessage msg, String path, Map<String, String> query) throws Exception;

    /**
     * Returns true when this normal handler reads the body of this request itself, through
     * {@link ServerMessage#getRequestBodyStream()}: the server then neither reads nor keeps it before
     * calling {@link #handle} (so {@link Limits#getMaxRequestBodySize()} and the body memory budget do not
     * apply), and sends an awaited {@code 100 Continue} only when the handler first reads. What the handler
     * leaves unread is read away when small, else the connection closes (HTTP/1) or the stream is reset.
     *
     * <p>Asked once per request, for the normal handler that covers the path, after the early handler and
     * before the body step, on the connection's thread; not asked when a status is already set. It must
     * not block or touch the body. A {@link dev.ladle.route.Router} answers true for its streaming routes.
     *
     * @param msg the request, its headers read and its body not
     * @param path the request path, as {@link #handle} gets it
     * @return false by default: the server reads (and limits) the body first
     */
    default boolean streamsRequestBody(ServerMessage msg, String path) {
        return false;
    }
}
