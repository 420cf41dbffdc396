package dev.ladle.junit.json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A compiled JSON path (a subset of RFC 9535) that selects values in a JSON tree, for conditions such as
 * "the body has an {@code id}" or "some item is named {@code pan}". Immutable and thread-safe.
 *
 * <pre>{@code
 * JsonPath names = JsonPath.compile("$.items[*].name");
 * List<JsonValue> found = names.select(Json.parse(body));   // e.g. ["pan", "pot"]
 * }</pre>
 *
 * <p>The syntax: a path starts with {@code $} (the root) and continues with segments:
 * <ul>
 *   <li>{@code .name} — the member {@code name} of an object; a name after a dot starts with a letter,
 *       {@code _} or a non-ASCII character and goes on with those or digits;</li>
 *   <li>{@code ['name']} or {@code ["name"]} — the member {@code name}, any name ({@code \'}, {@code \"},
 *       {@code \\} and the JSON escapes inside the quotes);</li>
 *   <li>{@code [0]} — an array element; {@code [-1]} is the last;</li>
 *   <li>{@code [*]} or {@code .*} — every element of an array, every member value of an object;</li>
 *   <li>{@code ..name}, {@code ..[0]}, {@code ..['name']}, {@code ..*} — the same selector applied to the
 *       node and all its descendants (deep scan).</li>
 * </ul>
 * Whitespace is allowed inside brackets. Filters ({@code [?...]}), slices ({@code [1:3]}) and unions
 * ({@code [0,1]}) are not supported and fail to compile with a message that says so.
 *
 * <p>{@link #select} never fails: a selector that does not apply (a name on an array, an index past the
 * end) selects nothing.
 */
public final class JsonPath {
    private final String expression;
    private final List<Segment> segments;

    private JsonPath(String expression, List<Segment> segments) {
        this.expression = expression;
        this.segments = List.copyOf(segments);
    }

    /**
     * Compiles {@code expression}.
     *
     * @throws JsonPathException when it is not a path of the supported syntax, naming the position
     */
    public static JsonPath compile(String expression) {
        return new JsonPath(expression, new JsonPathParser(Objects.requireNonNull(expression, "expression")).segments());
    }

    /**
     * The values this path selects in {@code root}, in document order (a deep scan visits a node before
     * its descendants); empty when nothing matches. A value reached twice is listed twice.
     */
    public List<JsonValue> select(JsonValue root) {
        List<JsonValue> nodes = List.of(Objects.requireNonNull(root, "root"));
        for (Segment segment : segments) {
            List<JsonValue> next = new ArrayList<>();
            for (JsonValue node : nodes) {
                segment.apply(node, next);
            }
            nodes = next;
        }
        return nodes;
    }

    /**
     * True when the path can select at most one value: it has no wildcard and no deep scan. Such a path
     * names one place, so a condition may compare "the" value there.
     */
    public boolean isDefinite() {
        return segments.stream().allMatch(s -> !s.deep() && !(s.selector() instanceof Selector.Wildcard));
    }

    /** The expression this path was compiled from. */
    public String expression() {
        return expression;
    }

    /** The expression. */
    @Override
    public String toString() {
        return expression;
    }

    /** Paths are equal when their expressions are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof JsonPath p && p.expression.equals(expression);
    }

    /** The expression's hash code, consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    /** What a bracket or dot selects from one node. */
    sealed interface Selector {
        void apply(JsonValue node, List<JsonValue> out);

        /** An object member by name. */
        record Name(String name) implements Selector {
            @Override
            public void apply(JsonValue node, List<JsonValue> out) {
                if (node instanceof JsonObject o && o.has(name)) {
                    out.add(o.get(name));
                }
            }
        }

        /** An array element by index; negative counts from the end. */
        record Index(int index) implements Selector {
            @Override
            public void apply(JsonValue node, List<JsonValue> out) {
                if (node instanceof JsonArray a) {
                    int i = index < 0 ? a.size() + index : index;
                    if (i >= 0 && i < a.size()) {
                        out.add(a.get(i));
                    }
                }
            }
        }

        /** Every child: array elements, object member values. */
        record Wildcard() implements Selector {
            @Override
            public void apply(JsonValue node, List<JsonValue> out) {
                switch (node) {
                    case JsonArray a -> out.addAll(a.elements());
                    case JsonObject o -> out.addAll(o.members().values());
                    default -> { }
                }
            }
        }
    }

    /** A selector applied to the node ({@code deep == false}) or to the node and every descendant. */
    record Segment(Selector selector, boolean deep) {
        void apply(JsonValue node, List<JsonValue> out) {
            if (!deep) {
                selector.apply(node, out);
                return;
            }
            // depth first, parents before children, without recursion: the tree may be deep
            Deque<JsonValue> pending = new ArrayDeque<>();
            pending.push(node);
            while (!pending.isEmpty()) {
                JsonValue current = pending.pop();
                selector.apply(current, out);
                List<JsonValue> children = new ArrayList<>();
                new Selector.Wildcard().apply(current, children);
                for (int i = children.size() - 1; i >= 0; i--) {
                    pending.push(children.get(i));
                }
            }
        }
    }
}
