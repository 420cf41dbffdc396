package dev.ladle.sse;

import dev.ladle.server.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The close listeners of one {@link EventStream}: each runs once, when the stream closes, or at once
 * when it is added after that. A listener that throws is logged and does not keep the others from
 * running. Thread-safe; listeners run without the lock held.
 */
final class CloseListeners {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> listeners = new ArrayList<>();
    private boolean ran;

    /** Adds {@code listener}, or runs it now when the listeners ran already. */
    Subscription add(Runnable listener) {
        lock.lock();
        try {
            if (!ran) {
                listeners.add(listener);
                return () -> remove(listener);
            }
        } finally {
            lock.unlock();
        }
        run(listener);
        return () -> { };
    }

    private void remove(Runnable listener) {
        lock.lock();
        try {
            listeners.remove(listener);
        } finally {
            lock.unlock();
        }
    }

    /** Runs every listener added so far, the first time only; later ones run as they are added. */
    void runAll() {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (ran) {
                return;
            }
            ran = true;
            toRun = List.copyOf(listeners);
            listeners.clear();
        } finally {
            lock.unlock();
        }
        for (Runnable listener : toRun) {
            run(listener);
        }
    }

    private static void run(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // one failing listener must not keep the others (or the connection's thread) from going on
            LOG.log(System.Logger.Level.WARNING, "event stream close listener failed", e);
        }
    }
}
