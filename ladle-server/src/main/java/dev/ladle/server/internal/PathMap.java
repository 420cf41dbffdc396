package dev.ladle.server.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Handler entries by path, matched by longest prefix on path-segment boundaries: {@code /foo} covers
 * {@code /foo}, {@code /foo/} and {@code /foo/x} but not {@code /foobar}; {@code /foo/} covers what is
 * below {@code /foo/}; {@code /} covers everything. {@code *} is only found for the {@code *} target.
 *
 * <p>Reads are lock-free on an immutable snapshot; registrations copy it. Handlers are registered
 * rarely and looked up on every request.
 */
public final class PathMap {
    private record Snapshot(Map<String, HandlerEntry> byPath, HandlerEntry[] longestFirst) {
    }

    private volatile Snapshot snapshot = new Snapshot(Map.of(), new HandlerEntry[0]);

    /** Normalizes a registration path: null and empty mean {@code /}. */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (!path.equals("*") && !path.startsWith("/")) {
            throw new IllegalArgumentException("handler path must start with '/' or be \"*\": " + path);
        }
        return path;
    }

    /** Applies {@code change} to the entry at {@code path} (null when absent); a null result removes it. */
    public synchronized void update(String path, UnaryOperator<HandlerEntry> change) {
        Map<String, HandlerEntry> next = new HashMap<>(snapshot.byPath);
        HandlerEntry current = next.get(path);
        HandlerEntry changed = change.apply(current == null ? new HandlerEntry(path, null, null, null) : current);
        if (changed == null || (changed.early() == null && changed.normal() == null && changed.webSocket() == null)) {
            next.remove(path);
        } else {
            next.put(path, changed);
        }
        HandlerEntry[] sorted = next.values().stream()
                .filter(e -> !e.path().equals("*"))
                .sorted(Comparator.comparingInt((HandlerEntry e) -> e.path().length()).reversed())
                .toArray(HandlerEntry[]::new);
        snapshot = new Snapshot(Map.copyOf(next), sorted);
    }

    /** Removes the whole entry at {@code path}. */
    public void remove(String path) {
        update(path, e -> null);
    }

    /**
     * Finds the entry for a request path.
     *
     * @param path the (decoded) request path, or {@code *} for the asterisk target
     * @return the entry with the longest covering path, or null when none covers it
     */
    public HandlerEntry lookup(String path) {
        Snapshot s = snapshot;
        HandlerEntry exact = s.byPath.get(path);
        if (exact != null || path.equals("*")) {
            return exact;
        }
        for (HandlerEntry entry : s.longestFirst) {
            if (covers(entry.path(), path)) {
                return entry;
            }
        }
        return null;
    }

    /** Returns true when the registered {@code prefix} covers {@code path} on a segment boundary. */
    public static boolean covers(String prefix, String path) {
        int n = prefix.length();
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == n || prefix.charAt(n - 1) == '/' || path.charAt(n) == '/';
    }
}
