package dev.ladle.websocket.internal;

import dev.ladle.server.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The listeners of one event: added and removed from any thread, called in the order added.
 *
 * @param <T> the listener type
 */
public final class Listeners<T> {
    private final List<T> list = new CopyOnWriteArrayList<>();

    /** Creates an empty list of listeners. */
    public Listeners() {
    }

    /** Adds {@code listener}; closing the result removes it. */
    public Subscription add(T listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        list.add(listener);
        AtomicBoolean active = new AtomicBoolean(true);
        return () -> {
            if (active.compareAndSet(true, false)) {
                list.remove(listener);
            }
        };
    }

    /** Calls {@code action} with each listener. */
    public void forEach(Consumer<T> action) {
        for (T listener : list) {
            action.accept(listener);
        }
    }

    /** Returns true when there are no listeners. */
    public boolean isEmpty() {
        return list.isEmpty();
    }
}
