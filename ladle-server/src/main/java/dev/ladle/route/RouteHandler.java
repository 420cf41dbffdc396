package dev.ladle.route;

import dev.ladle.server.ServerMessage;

/**
 * The handler of one {@link Router} route: gets the message, whose path parameters
 * ({@link ServerMessage#getPathParameter}) and query ({@link ServerMessage#getQueryParameter}) are set,
 * and answers it as any Ladle handler does, by setting a status and a response.
 *
 * <p>Runs on the connection's virtual thread, so it may block. Returning without a status (and without
 * pausing the message) gives a 500. An exception is answered by the router's exception mapping
 * ({@link Router#exception}) when its type is mapped, else by the server: a 500, logged once.
 */
@FunctionalInterface
public interface RouteHandler {
    /**
     * Handles one request that matched the route.
     *
     * @param msg the request and its response
     * @throws Exception anything; see the type's description for what the client gets
     */
    void handle(ServerMessage msg) throws Exception;
}
