package dev.ladle.server.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a server's idle connections wait without a thread: one selector, and one platform thread that
 * runs it while a connection is parked (a virtual thread would pin its carrier in {@code select} on
 * JDK 21). A parked connection's channel is registered for reading; when the peer sends (or closes),
 * or when another thread asks for the connection ({@link ChannelParking#wake}), its key is cancelled,
 * deregistered and the connection continues on a new virtual thread ({@link ChannelParking#resumed}).
 *
 * <p>Every key operation happens on the selector's thread; other threads only queue requests and
 * wake it. The thread ends a while after the last parked connection left (at once when the server no
 * longer listens), closing the selector, so that a server with no idle connection holds neither a
 * thread nor descriptors for this.
 */
final class IdleSelector {
    private static final System.Logger LOG = System.getLogger(IdleSelector.class.getName());
    /** How long the thread waits with nothing parked before it ends; a park after that starts a new one. */
    private static final long LINGER_MILLIS = 1000;

    private final Queue<ChannelParking> registrations = new ConcurrentLinkedQueue<>();
    private final Queue<ChannelParking> wakes = new ConcurrentLinkedQueue<>();
    /** Guards {@link #selector} and {@link #thread}: a queued request never misses a running thread. */
    private final ReentrantLock lock = new ReentrantLock();
    private Selector selector;
    private Thread thread;
    /** True while the server listens: new connections may park soon, so an idle thread lingers. */
    private final java.util.function.BooleanSupplier listening;

    /** @param listening whether the server still listens (the thread lingers only then) */
    IdleSelector(java.util.function.BooleanSupplier listening) {
        this.listening = listening;
    }

    /**
     * Queues a connection whose channel is already non-blocking; the selector registers it, or
     * resumes it at once when it was woken or closed meanwhile.
     *
     * @return false when no selector could be opened (then the caller keeps waiting on its own thread)
     */
    boolean park(ChannelParking parking) {
        registrations.add(parking);
        if (!signal()) {
            registrations.remove(parking);
            return false;
        }
        return true;
    }

    /** Asks for a parked connection to be resumed now; see {@link ChannelParking#wake}. */
    void wake(ChannelParking parking) {
        wakes.add(parking);
        signal();
    }

    /**
     * Waits at most {@code millis} for the thread to end: it does once nothing is parked or queued and
     * the server no longer listens.
     *
     * @return true when no thread runs any more
     */
    boolean awaitEnd(long millis) throws InterruptedException {
        Thread t;
        Selector s;
        lock.lock();
        try {
            t = thread;
            s = selector;
        } finally {
            lock.unlock();
        }
        if (t == null) {
            return true;
        }
        // out of a lingering wait: the server stopped listening since it began
        s.wakeup();
        return t.join(java.time.Duration.ofMillis(millis));
    }

    /** Makes sure the thread runs and looks at the queues; false when no selector could be opened. */
    private boolean signal() {
        Selector s;
        lock.lock();
        try {
            if (thread == null) {
                try {
                    selector = Selector.open();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot open a selector for idle connections: {0}", e.toString());
                    return false;
                }
                Selector opened = selector;
                thread = Thread.ofPlatform().daemon().name("ladle-idle-selector").start(() -> run(opened));
            }
            s = selector;
        } finally {
            lock.unlock();
        }
        s.wakeup();
        return true;
    }

    private void run(Selector s) {
        List<ChannelParking> ready = new ArrayList<>();
        try {
            while (true) {
                admit(s, ready);
                if (ready.isEmpty()) {
                    if (!s.keys().isEmpty()) {
                        s.select();
                    } else if ((!listening.getAsBoolean() || s.select(LINGER_MILLIS) == 0) && retire(s)) {
                        return;
                    }
                    for (SelectionKey key : s.selectedKeys()) {
                        ChannelParking parking = (ChannelParking) key.attachment();
                        key.cancel();
                        parking.key = null;
                        ready.add(parking);
                    }
                    s.selectedKeys().clear();
                }
                resume(s, ready);
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the idle connections' selector failed", e);
            failAll(s, ready);
        }
    }

    /** Registers the queued connections and takes the keys of the woken ones; both go to {@code ready} when due now. */
    private void admit(Selector s, List<ChannelParking> ready) {
        ChannelParking p;
        while ((p = registrations.poll()) != null) {
            if (p.wakeRequested || !p.channel.isOpen()) {
                ready.add(p);
                continue;
            }
            try {
                p.key = p.channel.register(s, SelectionKey.OP_READ, p);
            } catch (ClosedChannelException e) {
                ready.add(p);
            }
        }
        while ((p = wakes.poll()) != null) {
            // a connection not registered yet is resumed when its registration comes (wakeRequested)
            SelectionKey key = p.key;
            if (key != null) {
                key.cancel();
                p.key = null;
                ready.add(p);
            }
        }
    }

    /** Deregisters the cancelled keys (a channel goes back to blocking only then) and resumes each connection. */
    private static void resume(Selector s, List<ChannelParking> ready) throws IOException {
        if (ready.isEmpty()) {
            return;
        }
        s.selectNow();
        for (ChannelParking p : ready) {
            p.wakeRequested = false;
            p.resumed();
        }
        ready.clear();
    }

    /** Ends the thread when nothing is parked or queued, under the lock so that a new request starts a new one. */
    private boolean retire(Selector s) {
        lock.lock();
        try {
            if (!registrations.isEmpty() || !wakes.isEmpty() || !s.keys().isEmpty()) {
                return false;
            }
            thread = null;
            selector = null;
        } finally {
            lock.unlock();
        }
        closeQuietly(s);
        return true;
    }

    /** After a selector failure: every connection it held goes on (and most likely ends) on its own thread. */
    private void failAll(Selector s, List<ChannelParking> ready) {
        lock.lock();
        try {
            thread = null;
            selector = null;
        } finally {
            lock.unlock();
        }
        List<ChannelParking> all = new ArrayList<>(ready);
        try {
            for (SelectionKey key : s.keys()) {
                all.add((ChannelParking) key.attachment());
            }
        } catch (RuntimeException e) {
            // a closed selector has no keys left to hand back
        }
        closeQuietly(s);
        ChannelParking p;
        while ((p = registrations.poll()) != null) {
            all.add(p);
        }
        for (ChannelParking parking : all) {
            parking.key = null;
            parking.resumed();
        }
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the idle connections' selector: {0}", e.toString());
        }
    }
}
