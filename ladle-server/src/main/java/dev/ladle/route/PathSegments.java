package dev.ladle.route;

/**
 * A request path cut at its slashes, by offsets into the path (no copies until a segment is asked for):
 * {@code /todos/7} has the segments {@code todos} and {@code 7}, {@code /} one empty segment, and a
 * trailing slash an empty last one.
 */
final class PathSegments {
    private final String path;
    /** Where each segment starts; a segment ends one character before the next one starts (its slash). */
    private final int[] starts;

    private PathSegments(String path, int[] starts) {
        this.path = path;
        this.starts = starts;
    }

    /** Cuts {@code path}; null when it does not start with {@code /} (the {@code *} of {@code OPTIONS *}). */
    static PathSegments of(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        int[] starts = new int[count];
        for (int i = 0, n = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                starts[n++] = i + 1;
            }
        }
        return new PathSegments(path, starts);
    }

    int count() {
        return starts.length;
    }

    /** Returns segment {@code i}, without its slashes. */
    String segment(int i) {
        int end = i + 1 < starts.length ? starts[i + 1] - 1 : path.length();
        return path.substring(starts[i], end);
    }

    /** Returns the length of segment {@code i}. */
    int length(int i) {
        int end = i + 1 < starts.length ? starts[i + 1] - 1 : path.length();
        return end - starts[i];
    }

    /** Returns the path from segment {@code i} to the end, slashes included. */
    String from(int i) {
        return path.substring(starts[i]);
    }
}
