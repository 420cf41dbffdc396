package dev.ladle.websocket.internal;

import dev.ladle.server.Subscription;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The listeners of one event: added and removed from any thread, called in the order added.
 *
 * <p>Copy on write, as a {@code CopyOnWriteArrayList}, but held in one field that starts as a shared
 * empty array: a WebSocket connection has five of these and most stay empty, and an idle connection's
 * memory is mostly such per-connection objects (a {@code CopyOnWriteArrayList} costs about 56 bytes
 * empty, with its lock and its array).
 *
 * @param <T> the listener type
 */
public final class Listeners<T> {
    private static final Object[] NONE = {};
    private static final VarHandle LIST;

    static {
        try {
            LIST = MethodHandles.lookup().findVarHandle(Listeners.class, "list", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The listeners in the order added; replaced, never changed in place. */
    private volatile Object[] list = NONE;

    /** Creates an empty list of listeners. */
    public Listeners() {
    }

    /** Adds {@code listener}; closing the result removes it. */
    public Subscription add(T listener) {
        Objects.requireNonNull(listener, "listener");
        Object[] current;
        Object[] next;
        do {
            current = list;
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
        } while (!LIST.compareAndSet(this, current, next));
        AtomicBoolean active = new AtomicBoolean(true);
        return () -> {
            if (active.compareAndSet(true, false)) {
                remove(listener);
            }
        };
    }

    /** Removes the first listener equal to {@code listener}, if any. */
    private void remove(Object listener) {
        Object[] current;
        Object[] next;
        do {
            current = list;
            int at = 0;
            while (at < current.length && !current[at].equals(listener)) {
                at++;
            }
            if (at == current.length) {
                return;
            }
            next = current.length == 1 ? NONE : new Object[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
        } while (!LIST.compareAndSet(this, current, next));
    }

    /** Calls {@code action} with each listener, as the list was when the call began. */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<T> action) {
        for (Object listener : list) {
            action.accept((T) listener);
        }
    }

    /** Returns true when there are no listeners. */
    public boolean isEmpty() {
        return list.length == 0;
    }
}
