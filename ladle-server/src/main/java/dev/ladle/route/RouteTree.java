package dev.ladle.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A router's templates as a tree of segments, so that a path is matched against all of them in one walk,
 * segment by segment, with no regular expressions. At each segment a literal is tried before a
 * {@code {name}}, and that before a {@code {name...}}, which is what makes {@code /todos/new} win over
 * {@code /todos/{id}}. Immutable: the router builds a new tree when a route is added.
 */
final class RouteTree {
    /** The routes whose templates end at one node, by method in the order added. */
    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node parameter;
        Node rest;
        final Map<String, Route> routes = new LinkedHashMap<>();
    }

    private final Node root = new Node();

    /** Builds the tree; the routes must not conflict (same method, same {@link PathTemplate#shape()}). */
    RouteTree(List<Route> routes) {
        for (Route route : routes) {
            Node node = root;
            for (PathTemplate.Segment s : route.template().segments()) {
                node = switch (s.kind()) {
                    case LITERAL -> node.literals.computeIfAbsent(s.text(), k -> new Node());
                    case PARAMETER -> node.parameter != null ? node.parameter : (node.parameter = new Node());
                    case REST -> node.rest != null ? node.rest : (node.rest = new Node());
                };
            }
            node.routes.put(route.method(), route);
        }
    }

    /**
     * Returns the route sets (by method) of every template that matches {@code path}, most specific first.
     * Usually one; several when, say, both {@code /todos/new} and {@code /todos/{id}} match.
     */
    List<Map<String, Route>> match(PathSegments path) {
        List<Map<String, Route>> found = new ArrayList<>(2);
        collect(root, path, 0, found);
        return found;
    }

    private static void collect(Node node, PathSegments path, int i, List<Map<String, Route>> found) {
        if (i == path.count()) {
            if (!node.routes.isEmpty()) {
                found.add(node.routes);
            }
            return;
        }
        if (!node.literals.isEmpty()) {
            Node literal = node.literals.get(path.segment(i));
            if (literal != null) {
                collect(literal, path, i + 1, found);
            }
        }
        if (node.parameter != null && path.length(i) > 0) {
            collect(node.parameter, path, i + 1, found);
        }
        if (node.rest != null) {
            found.add(node.rest.routes);
        }
    }
}
