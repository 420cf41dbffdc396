package dev.ladle.route;

import dev.ladle.server.ServerMessage;

/**
 * A step a {@link Router} runs around its routes: {@link Router#before} filters before the answer (one
 * that sets a status ends the request there, as an auth check does), {@link Router#after} filters after
 * it (to add headers, or log the final status). Runs on the connection's thread and may block.
 */
@FunctionalInterface
public interface RouteFilter {
    /**
     * Runs for one request the router received.
     *
     * @param msg the request and its response; path parameters are set when a route matched
     * @throws Exception anything; a before filter's exception is mapped as a handler's is, an after
     *     filter's goes to the server (a 500 unless the response is already under way)
     */
    void filter(ServerMessage msg) throws Exception;
}
