package dev.ladle.junit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stubs begun with {@code on...} and not yet finished with {@code respond}: a forgotten
 * {@code respond} would otherwise leave a stub silently missing, so the {@link MockServer} reports them.
 *
 * <p>A stub being built on another thread is unfinished for a moment too, and must not count as
 * forgotten: whoever asks (a request arriving, a verification on another thread) waits a short
 * {@linkplain #GRACE grace} for the stubs begun on other threads to be finished. A stub begun on the
 * asking thread, or on a thread that has ended, is forgotten at once: no one is building it.
 *
 * <p>Thread-safe.
 */
final class UnfinishedStubs {
    /** How long a stub begun on another thread may take to be finished before it counts as forgotten. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Each unfinished stubbing and the thread that began it. */
    private final Map<Stubbing, Thread> begun = new HashMap<>();

    void begin(Stubbing stubbing) {
        lock.lock();
        try {
            begun.put(stubbing, Thread.currentThread());
        } finally {
            lock.unlock();
        }
    }

    /** The stubbing was registered, or abandoned because a method of it refused its arguments. */
    void finish(Stubbing stubbing) {
        lock.lock();
        try {
            if (begun.remove(stubbing) != null) {
                finished.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets them all. */
    void clear() {
        lock.lock();
        try {
            begun.clear();
            finished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The message naming the stubs left unfinished, or null when there are none: those unfinished now
     * and still unfinished after the {@linkplain #GRACE grace} given to the ones other threads are
     * building. A stub begun meanwhile is not waited for.
     */
    String forgotten() {
        lock.lock();
        try {
            List<Stubbing> now = List.copyOf(begun.keySet());
            long left = GRACE.toNanos();
            while (left > 0 && now.stream().anyMatch(this::maybeBeingBuilt)) {
                try {
                    left = finished.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            List<String> names = now.stream().filter(begun::containsKey).map(Stubbing::description).sorted().toList();
            return names.isEmpty() ? null
                    : "stubs begun but never finished with respond(...), so they answer nothing: " + String.join("; ", names);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Throws when a stub was left unfinished (see {@link #forgotten()}).
     *
     * @throws IllegalStateException naming each unfinished stub
     */
    void requireNone() {
        String message = forgotten();
        if (message != null) {
            throw new IllegalStateException(message);
        }
    }

    /** True while {@code stubbing} is unfinished and its thread, not the caller's, may still finish it. */
    private boolean maybeBeingBuilt(Stubbing stubbing) {
        Thread builder = begun.get(stubbing);
        return builder != null && builder != Thread.currentThread() && builder.isAlive();
    }
}
