/**
 * Routes on top of the server's handlers: a {@link dev.ladle.route.Router} dispatches requests by method
 * and path template ({@code /todos/{id}}, {@code /files/{path...}}) to short
 * {@link dev.ladle.route.RouteHandler}s, answers 404, 405 with {@code Allow}, {@code HEAD} and
 * {@code OPTIONS} itself, runs before and after filters, maps exceptions to statuses, and lets a route
 * stream its request body. A router is an ordinary {@link dev.ladle.server.ServerCallback}: register it
 * with {@code server.addHandler(prefix, router)}.
 *
 * <pre>{@code
 * Router api = new Router()
 *         .get("/todos/{id}", msg -> {
 *             String todo = todos.get(msg.getPathParameter("id"));   // a Map<String, String>
 *             if (todo == null) {
 *                 throw new NoSuchElementException("no todo " + msg.getPathParameter("id"));
 *             }
 *             msg.setResponse("text/plain", todo.getBytes(StandardCharsets.UTF_8));
 *             msg.setStatus(200);
 *         })
 *         .exception(NoSuchElementException.class, 404);
 * server.addHandler("/api", api);       // GET /api/todos/7
 * }</pre>
 */
package dev.ladle.route;
