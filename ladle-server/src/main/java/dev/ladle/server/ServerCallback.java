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
}
