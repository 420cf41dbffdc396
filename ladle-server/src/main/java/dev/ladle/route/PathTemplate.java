package dev.ladle.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed route path such as {@code /todos/{id}} or {@code /files/{path...}}: segments separated by
 * {@code /}, each a literal or a parameter.
 *
 * <ul>
 *   <li>{@code {name}} matches one non-empty segment and takes its text;</li>
 *   <li>{@code {name...}}, only as the last segment, takes the rest of the path after the slash before
 *       it, slashes included, possibly empty: {@code /files/{path...}} matches {@code /files/a/b.txt}
 *       ({@code path = a/b.txt}) and {@code /files/} ({@code path} empty), not {@code /files};</li>
 *   <li>anything else matches itself exactly, so a trailing slash counts: {@code /todos} does not match
 *       {@code /todos/}.</li>
 * </ul>
 *
 * <p>Parameter names are letters, digits, {@code _} and {@code -}, unique within a template; a parameter
 * is a whole segment. Paths are matched as the handler gets them (percent-decoded unless the server has
 * raw paths), so literals are written decoded. Immutable and thread-safe.
 */
public final class PathTemplate {
    /** What a segment of a template matches. */
    enum Kind { LITERAL, PARAMETER, REST }

    /** One segment: its kind and its literal text or parameter name. */
    record Segment(Kind kind, String text) {
    }

    private final String text;
    private final List<Segment> segments;
    private final List<String> names;

    private PathTemplate(String text, List<Segment> segments, List<String> names) {
        this.text = text;
        this.segments = segments;
        this.names = names;
    }

    /**
     * Parses a template.
     *
     * @throws NullPointerException when {@code template} is null
     * @throws IllegalArgumentException naming the problem: no leading {@code /}, a brace that does not make
     *     a whole-segment parameter, an empty or invalid parameter name, a duplicate name, or a
     *     {@code {name...}} that is not the last segment
     */
    public static PathTemplate parse(String template) {
        if (template.isEmpty() || template.charAt(0) != '/') {
            throw new IllegalArgumentException("path template must start with '/': \"" + template + "\"");
        }
        List<Segment> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String[] parts = template.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean opens = part.indexOf('{') >= 0;
            boolean closes = part.indexOf('}') >= 0;
            if (!opens && !closes) {
                segments.add(new Segment(Kind.LITERAL, part));
                continue;
            }
            if (!part.startsWith("{") || !part.endsWith("}") || part.indexOf('{', 1) >= 0
                    || part.indexOf('}') != part.length() - 1) {
                throw new IllegalArgumentException("a parameter must be a whole segment, as in /{id}: \"" + part
                        + "\" in \"" + template + "\"");
            }
            boolean rest = part.endsWith("...}");
            String name = part.substring(1, part.length() - (rest ? 4 : 1));
            checkName(name, template);
            if (names.contains(name)) {
                throw new IllegalArgumentException("duplicate parameter name \"" + name + "\" in \"" + template + "\"");
            }
            if (rest && i != parts.length - 1) {
                throw new IllegalArgumentException("{" + name + "...} takes the rest of the path, so it must be"
                        + " the last segment: \"" + template + "\"");
            }
            names.add(name);
            segments.add(new Segment(rest ? Kind.REST : Kind.PARAMETER, name));
        }
        return new PathTemplate(template, List.copyOf(segments), List.copyOf(names));
    }

    private static void checkName(String name, String template) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty parameter name in \"" + template + "\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-') {
                throw new IllegalArgumentException("parameter name \"" + name + "\" in \"" + template
                        + "\" may only have letters, digits, '_' and '-'");
            }
        }
    }

    /** Returns the parameter names, in order; empty for a template of literals only. */
    public List<String> parameterNames() {
        return names;
    }

    /** Returns true when the template ends with a {@code {name...}} parameter. */
    public boolean endsWithRest() {
        return !segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.REST;
    }

    /**
     * Matches one path against this template alone (a {@link Router} matches all its templates at once).
     *
     * @param path a path starting with {@code /}
     * @return the parameter values by name, in template order (unmodifiable), or null when the path does
     *     not match
     */
    public Map<String, String> match(String path) {
        PathSegments p = PathSegments.of(path);
        if (p == null) {
            return null;
        }
        int n = segments.size();
        boolean rest = endsWithRest();
        if (rest ? p.count() < n : p.count() != n) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            Segment s = segments.get(i);
            if (s.kind() == Kind.LITERAL && !s.text().equals(p.segment(i))
                    || s.kind() == Kind.PARAMETER && p.length(i) == 0) {
                return null;
            }
        }
        return values(p);
    }

    /** Takes the parameter values out of a path this template matched. */
    Map<String, String> values(PathSegments path) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>(names.size() * 2);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            switch (s.kind()) {
                case PARAMETER -> values.put(s.text(), path.segment(i));
                case REST -> values.put(s.text(), path.from(i));
                case LITERAL -> { }
            }
        }
        return Collections.unmodifiableMap(values);
    }

    List<Segment> segments() {
        return segments;
    }

    /**
     * Returns the template with its parameter names left out ({@code /todos/{}}, {@code /files/{...}}):
     * two templates of one shape match the same paths.
     */
    String shape() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/').append(switch (s.kind()) {
                case LITERAL -> s.text();
                case PARAMETER -> "{}";
                case REST -> "{...}";
            });
        }
        return sb.toString();
    }

    /** Returns the template as written. */
    @Override
    public String toString() {
        return text;
    }

    /** Templates are equal when written the same. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PathTemplate t && t.text.equals(text);
    }

    /** Returns the hash of the template as written. */
    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
