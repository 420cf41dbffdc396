package dev.ladle.junit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stubs begun with {@code on...} and not yet finished with {@code respond}: a forgotten
 * {@code respond} would otherwise leave a stub silently missing, so the {@link MockServer} reports them.
 * Thread-safe.
 */
final class UnfinishedStubs {
    private final Set<Stubbing> begun = ConcurrentHashMap.newKeySet();

    void begin(Stubbing stubbing) {
        begun.add(stubbing);
    }

    /** The stubbing was registered, or abandoned because a method of it refused its arguments. */
    void finish(Stubbing stubbing) {
        begun.remove(stubbing);
    }

    /** Forgets them all. */
    void clear() {
        begun.clear();
    }

    /** The message naming the unfinished stubs, or null when there are none. */
    String message() {
        if (begun.isEmpty()) {
            return null;
        }
        List<String> names = begun.stream().map(Stubbing::description).sorted().toList();
        return "stubs begun but never finished with respond(...), so they answer nothing: " + String.join("; ", names);
    }

    /**
     * Throws when a stub was begun and never finished.
     *
     * @throws IllegalStateException naming each unfinished stub
     */
    void requireNone() {
        String message = message();
        if (message != null) {
            throw new IllegalStateException(message);
        }
    }
}
