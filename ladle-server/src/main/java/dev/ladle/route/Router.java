package dev.ladle.route;

import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.internal.RoutingAccess;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes requests by method and path template to {@link RouteHandler}s; a {@link ServerCallback}, so it
 * is registered as any handler is:
 *
 * <pre>{@code
 * Router todos = new Router()
 *         .get("/todos", msg -> list(msg))
 *         .get("/todos/{id}", msg -> show(msg, msg.getPathParameter("id")))
 *         .post("/todos", msg -> create(msg))
 *         .postStreaming("/uploads", msg -> store(msg.getRequestBodyStream()))
 *         .before(msg -> { if (msg.getAuthUser() == null) msg.setStatus(401); })
 *         .exception(NoSuchElementException.class, 404);
 * server.addHandler("/api", todos);          // GET /api/todos/7 → show(msg, "7")
 * }</pre>
 *
 * <p><b>Paths.</b> Register the router as a normal handler with {@code server.addHandler(prefix, router)}:
 * its templates ({@link PathTemplate}) are matched against the path <em>below</em> that prefix, so one
 * router can be mounted anywhere, or at several prefixes. Under {@code /api}, {@code /todos/{id}} matches
 * {@code /api/todos/7}, and {@code /} matches both {@code /api} and {@code /api/}. As the default handler
 * (prefix {@code null} or {@code /}) the templates see the whole path. Where several templates match, a
 * literal segment wins over {@code {name}}, and that over {@code {name...}}, segment by segment from the
 * left; the values are on the message ({@link ServerMessage#getPathParameter}). It composes with the
 * server's other handlers as any normal handler does: auth domains and an early handler added at the same
 * prefix ({@link Server#addEarlyHandler}) run first, before the body is read, and can refuse the request
 * before any route sees it.
 *
 * <p><b>What the router answers itself.</b> No template matches: 404, as the server's own not-found. A
 * template matches but has no route for the method: 405 with {@code Allow} listing the methods of every
 * matching template. {@code HEAD} is served by the {@code GET} route unless a {@code HEAD} route exists
 * (the server sends the headers without the body). {@code OPTIONS} without an {@code OPTIONS} route: 204
 * with {@code Allow}. {@code Allow} lists methods in the order their routes were added, {@code HEAD} right
 * after {@code GET}, and {@code OPTIONS} last.
 *
 * <p><b>Filters.</b> For every request the router receives: the {@link #before} filters in the order
 * added, after the route lookup (path parameters are set when a route matched); the first that sets a
 * status ends the request, skipping the other before filters and the answer. Then the answer: the route's
 * handler, or the 404/405/OPTIONS above. Then the {@link #after} filters, in the order added, also when a
 * before filter ended the request and when the handler threw a mapped exception (they see its answer).
 * An exception no mapping covers skips the after filters and goes to the server, which answers 500 and
 * logs it (or cuts a response already under way): it is a bug, and the server's handling of it must see
 * it as thrown. Map {@code Exception.class} to have after filters run for every exception. After filters
 * run when the handler returns; a handler that paused its message may answer later.
 *
 * <p><b>Exceptions.</b> {@link #exception(Class, int)} maps an exception type (and its subclasses without
 * a nearer mapping) to a status with the exception's message as a plain-text body;
 * {@link #exception(Class, ExceptionHandler)} to a handler of its own. Mappings apply to route handlers
 * and before filters, and only while the response can still be changed: once the handler started writing
 * the response, or the client left, the exception goes to the server as if unmapped.
 *
 * <p><b>Streaming request bodies.</b> A route added with {@link #postStreaming}, {@link #putStreaming} or
 * {@link #addStreaming} gets its body unread: the handler reads it with
 * {@link ServerMessage#getRequestBodyStream()} (or {@link dev.ladle.http.Forms#decodeMultipart}), any
 * size, beyond {@link dev.ladle.server.Limits#getMaxRequestBodySize()}, with {@code Expect: 100-continue}
 * answered when it first reads. Other routes get the body read and kept as usual.
 *
 * <p>Thread-safe: routes, filters and mappings may be added while the server runs (each addition is
 * seen by the requests that start after it); lookups take no lock.
 */
public final class Router implements ServerCallback {
    private final Object registration = new Object();
    private volatile List<Route> routes = List.of();
    private volatile RouteTree tree = new RouteTree(List.of());
    private volatile boolean anyStreaming;
    private final List<RouteFilter> beforeFilters = new CopyOnWriteArrayList<>();
    private final List<RouteFilter> afterFilters = new CopyOnWriteArrayList<>();
    private final ExceptionMappings exceptions = new ExceptionMappings();

    /** Makes a router with no routes, filters or exception mappings: it answers every request 404. */
    public Router() {
    }

    // ---- routes ----------------------------------------------------------------------------------

    /**
     * Adds a {@code GET} route (which also serves {@code HEAD}).
     *
     * @return this router
     * @throws IllegalArgumentException when the template is invalid ({@link PathTemplate#parse}) or a
     *     {@code GET} route of the same shape exists ({@code /todos/{id}} and {@code /todos/{key}})
     */
    public Router get(String template, RouteHandler handler) {
        return add("GET", template, handler);
    }

    /** Adds a {@code POST} route whose body the server reads and keeps first; see {@link #get} for the errors. */
    public Router post(String template, RouteHandler handler) {
        return add("POST", template, handler);
    }

    /** Adds a {@code PUT} route whose body the server reads and keeps first; see {@link #get} for the errors. */
    public Router put(String template, RouteHandler handler) {
        return add("PUT", template, handler);
    }

    /** Adds a {@code PATCH} route; see {@link #get} for the errors. */
    public Router patch(String template, RouteHandler handler) {
        return add("PATCH", template, handler);
    }

    /** Adds a {@code DELETE} route; see {@link #get} for the errors. */
    public Router delete(String template, RouteHandler handler) {
        return add("DELETE", template, handler);
    }

    /**
     * Adds a {@code POST} route that reads its request body itself, as a stream
     * ({@link ServerMessage#getRequestBodyStream()}): uploads of any size, never held in memory by the
     * server. See {@link #get} for the errors.
     */
    public Router postStreaming(String template, RouteHandler handler) {
        return addStreaming("POST", template, handler);
    }

    /** Adds a {@code PUT} route that reads its request body itself; see {@link #postStreaming}. */
    public Router putStreaming(String template, RouteHandler handler) {
        return addStreaming("PUT", template, handler);
    }

    /**
     * Adds a route for any method, whose body the server reads and keeps first.
     *
     * @param method the method, case-sensitive ({@code GET}, {@code PROPFIND} ...)
     * @return this router
     * @throws IllegalArgumentException when the method is not an HTTP token, the template is invalid, or
     *     the method has a route of the same shape already
     */
    public Router add(String method, String template, RouteHandler handler) {
        return add(new Route(method, PathTemplate.parse(Objects.requireNonNull(template, "template")), handler, false));
    }

    /** Adds a route for any method that reads its request body itself; see {@link #postStreaming} and {@link #add}. */
    public Router addStreaming(String method, String template, RouteHandler handler) {
        return add(new Route(method, PathTemplate.parse(Objects.requireNonNull(template, "template")), handler, true));
    }

    private Router add(Route route) {
        synchronized (registration) {
            String shape = route.template().shape();
            for (Route r : routes) {
                if (r.method().equals(route.method()) && r.template().shape().equals(shape)) {
                    throw new IllegalArgumentException(route.method() + " " + route.template() + " conflicts with "
                            + r.method() + " " + r.template() + ": they match the same paths");
                }
            }
            List<Route> next = new ArrayList<>(routes);
            next.add(route);
            tree = new RouteTree(next);
            routes = List.copyOf(next);
            anyStreaming |= route.streamingBody();
        }
        return this;
    }

    /** Returns the routes, in the order added. */
    public List<Route> getRoutes() {
        return routes;
    }

    // ---- filters and exceptions ------------------------------------------------------------------

    /** Adds a filter that runs before the answer; one that sets a status ends the request (see the type's description). */
    public Router before(RouteFilter filter) {
        beforeFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Adds a filter that runs after the answer (see the type's description for when it does not). */
    public Router after(RouteFilter filter) {
        afterFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Answers exceptions of {@code type} (and subclasses without a nearer mapping) with {@code status} and
     * the exception's message (the status's phrase when it has none) as a {@code text/plain} body. Replaces
     * an earlier mapping of the same type.
     *
     * @throws IllegalArgumentException unless {@code 100 <= status <= 999}
     */
    public <E extends Exception> Router exception(Class<E> type, int status) {
        Objects.requireNonNull(type, "type");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a 3-digit code: " + status);
        }
        exceptions.put(type, ExceptionMappings.answerWith(status));
        return this;
    }

    /**
     * Answers exceptions of {@code type} (and subclasses without a nearer mapping) with {@code handler}.
     * Replaces an earlier mapping of the same type.
     */
    public <E extends Exception> Router exception(Class<E> type, ExceptionHandler<? super E> handler) {
        exceptions.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---- serving ---------------------------------------------------------------------------------

    /** Answers one request; see the type's description for the order of filters, answer and mappings. */
    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) throws Exception {
        RouteMatch match = match(msg.getMethod(), below(RoutingAccess.handlerPath(msg), path));
        if (match.route() != null) {
            RoutingAccess.setPathParameters(msg, match.values());
        }
        try {
            for (RouteFilter filter : beforeFilters) {
                filter.filter(msg);
                if (msg.getStatus() != 0) {
                    break;
                }
            }
            if (msg.getStatus() == 0) {
                answer(match, msg);
            }
        } catch (Exception e) {
            ExceptionHandler<Exception> mapped = exceptions.find(e.getClass());
            if (mapped == null || !RoutingAccess.canStillAnswer(msg)) {
                throw e;
            }
            mapped.handle(e, msg);
        }
        for (RouteFilter filter : afterFilters) {
            filter.filter(msg);
        }
    }

    /** Says true for a request that a streaming route will answer, so the server leaves its body unread. */
    @Override
    public boolean streamsRequestBody(ServerMessage msg, String path) {
        if (!anyStreaming) {
            return false;
        }
        // only which route answers: its parameter values are taken when it is called
        PathSegments segments = PathSegments.of(below(RoutingAccess.handlerPath(msg), path));
        Route route = segments == null ? null : pick(tree.match(segments), msg.getMethod());
        return route != null && route.streamingBody();
    }

    private static void answer(RouteMatch match, ServerMessage msg) throws Exception {
        if (match.route() != null) {
            match.route().handler().handle(msg);
        } else if (match.allow() == null) {
            msg.setStatus(Status.NOT_FOUND);
        } else {
            msg.getResponseHeaders().replace("Allow", match.allow());
            msg.setStatus("OPTIONS".equals(msg.getMethod()) ? Status.NO_CONTENT : Status.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * The path below the registration prefix: {@code /api} and {@code /api/} leave {@code /} of
     * {@code /api}; a path the prefix does not cover is matched whole.
     */
    static String below(String prefix, String path) {
        String rest = RoutingAccess.below(prefix, path);
        return rest == null ? path : rest.isEmpty() ? "/" : rest;
    }

    /**
     * Finds what answers {@code method} on {@code path}: a route (the most specific matching template that
     * has one for the method, or for {@code GET} when the method is {@code HEAD}), else the methods the
     * matching templates allow, else nothing.
     */
    RouteMatch match(String method, String path) {
        PathSegments segments = PathSegments.of(path);
        if (segments == null) {
            return RouteMatch.NONE;
        }
        List<Map<String, Route>> candidates = tree.match(segments);
        if (candidates.isEmpty()) {
            return RouteMatch.NONE;
        }
        Route route = pick(candidates, method);
        return route != null ? new RouteMatch(route, route.template().values(segments), null)
                : new RouteMatch(null, Map.of(), allow(candidates));
    }

    /** Returns the route of the first (most specific) candidate that has one for {@code method}, else null. */
    private static Route pick(List<Map<String, Route>> candidates, String method) {
        for (Map<String, Route> byMethod : candidates) {
            Route route = byMethod.get(method);
            if (route == null && method.equals("HEAD")) {
                route = byMethod.get("GET");
            }
            if (route != null) {
                return route;
            }
        }
        return null;
    }

    private static String allow(List<Map<String, Route>> candidates) {
        Set<String> methods = new LinkedHashSet<>();
        for (Map<String, Route> byMethod : candidates) {
            for (String m : byMethod.keySet()) {
                methods.add(m);
                if (m.equals("GET")) {
                    methods.add("HEAD");
                }
            }
        }
        methods.remove("OPTIONS");
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    /**
     * The outcome of a lookup.
     *
     * @param route the route that answers, or null
     * @param values its path parameters
     * @param allow without a route: the {@code Allow} value when a template matched, else null (404)
     */
    record RouteMatch(Route route, Map<String, String> values, String allow) {
        static final RouteMatch NONE = new RouteMatch(null, Map.of(), null);
    }
}
