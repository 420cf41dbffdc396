package dev.ladle.auth;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The paths a domain protects and the sub-paths carved out of them, matched like handler paths: the
 * longest registered prefix on a segment boundary decides ({@code /public} covers {@code /public} and
 * {@code /public/x}, not {@code /publicity}; {@code /dir/} covers what is below {@code /dir/}). The
 * asterisk target of {@code OPTIONS *} is only covered by {@code *} itself.
 *
 * <p>Lookups read an immutable snapshot without locking, because they happen on every request while
 * changes are rare.
 */
final class AuthPaths {
    private record Entry(String path, boolean protect) {
    }

    private static final Entry[] NONE = new Entry[0];

    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Boolean> byPath = new LinkedHashMap<>();
    private volatile Entry[] longestFirst = NONE;

    /** Marks {@code path} and what is below it as protected ({@code true}) or exempt ({@code false}). */
    void put(String path, boolean protect) {
        String normalized = normalize(path);
        writeLock.lock();
        try {
            byPath.put(normalized, protect);
            longestFirst = byPath.entrySet().stream()
                    .map(e -> new Entry(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingInt((Entry e) -> e.path().length()).reversed())
                    .toArray(Entry[]::new);
        } finally {
            writeLock.unlock();
        }
    }

    /** Returns the protected paths (normalized: {@code /} for null or empty), in the order first given. */
    List<String> protectedPaths() {
        writeLock.lock();
        try {
            return byPath.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Returns true when the most specific registered path covering {@code path} is a protected one.
     *
     * @param path a decoded request path, or {@code *} for the asterisk target
     */
    boolean isProtected(String path) {
        for (Entry entry : longestFirst) {
            if (matches(entry.path(), path)) {
                return entry.protect();
            }
        }
        return false;
    }

    private static boolean matches(String registered, String path) {
        if (registered.equals("*") || path.equals("*")) {
            return registered.equals(path);
        }
        int n = registered.length();
        return path.startsWith(registered)
                && (path.length() == n || registered.charAt(n - 1) == '/' || path.charAt(n) == '/');
    }

    private static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (!path.equals("*") && !path.startsWith("/")) {
            throw new IllegalArgumentException("auth path must start with '/' or be \"*\": " + path);
        }
        return path;
    }
}
