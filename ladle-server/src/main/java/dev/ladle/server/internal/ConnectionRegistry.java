package dev.ladle.server.internal;

import dev.ladle.server.Subscription;
import dev.ladle.websocket.internal.Listeners;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The live connections of one server, so that {@code disconnect} and {@code close} can reach them. */
public final class ConnectionRegistry {
    private static final System.Logger LOG = System.getLogger(ConnectionRegistry.class.getName());
    private final Set<HttpConnection> live = ConcurrentHashMap.newKeySet();
    /** Responses that never finish by themselves (open event streams): ended when the server drains. */
    private final Listeners<Runnable> endlessResponses = new Listeners<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition emptied = lock.newCondition();
    /** Signalled when a connection ends while a listener waits for a free descriptor. */
    private final Condition ended = lock.newCondition();
    /** Listeners waiting in {@link #awaitConnectionEnd}: a connection's end takes the lock only when one does. */
    private volatile int endWaiters;

    /** How often the watchdog looks: the granularity of the idle, write, response and stream read timeouts. */
    private static final long WATCH_INTERVAL_MILLIS = 250;
    /** How long an HTTP/1 connection answered by the response timeout stays half-closed for the client to read the 503. */
    private static final long TIMED_OUT_GRACE_NANOS = 1_000_000_000L;

    /** The watchdog while connections are live, else null; guarded by {@link #lock}. */
    private Thread watchdog;
    private ServerState state;

    /**
     * Registers a connection and makes sure the watchdog runs: the thread that cuts off clients whose
     * writes stall past the write timeout (a blocking socket write has no timeout of its own), and
     * stream connections whose reads stall past their read timeout. The watchdog ends once no
     * connection is left, so a closed server leaves no thread behind; the next connection starts a new
     * one. Under the lock, so that a watchdog deciding to end cannot miss a connection added meanwhile.
     */
    void add(HttpConnection connection) {
        lock.lock();
        try {
            live.add(connection);
            if (watchdog == null) {
                this.state = connection.state;
                watchdog = Thread.ofVirtual().name("ladle-write-watchdog").start(this::watch);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The watchdog's loop, until {@link #remove} interrupts it: the last connection went. */
    private void watch() {
        while (true) {
            try {
                Thread.sleep(WATCH_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            dev.ladle.server.Limits current = state.limits();
            long writeLimit = current.getWriteTimeout().toNanos();
            long idleLimit = current.getIdleTimeout().toNanos();
            long now = System.nanoTime();
            state.responseDeadlines.expire(now, current.getResponseTimeout().toNanos());
            for (HttpConnection connection : live) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // retired mid-look: a newer watchdog watches what was added since
                }
                if (connection.writeStalledFor(writeLimit) || connection.readStalled()
                        || connection.timedOutLongerThan(now, TIMED_OUT_GRACE_NANOS)) {
                    connection.abort();
                } else {
                    connection.checkIdle(now, idleLimit);
                }
            }
        }
    }

    void remove(HttpConnection connection) {
        live.remove(connection);
        if (live.isEmpty() || endWaiters > 0) {
            lock.lock();
            try {
                if (live.isEmpty() && watchdog != null) {
                    // nothing to watch: end it now rather than at its next look
                    watchdog.interrupt();
                    watchdog = null;
                }
                emptied.signalAll();
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until a connection ends (freeing its descriptor) or {@code nanos} pass; returns true when one
     * ended. For a listener backing off after a failed accept.
     */
    boolean awaitConnectionEnd(long nanos) throws InterruptedException {
        lock.lock();
        try {
            endWaiters++;
            try {
                return ended.awaitNanos(nanos) > 0;
            } finally {
                endWaiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the number of live connections. */
    public int size() {
        return live.size();
    }

    /**
     * Asks every connection to finish: idle ones close now, busy ones after their current response.
     *
     * @param includeAcceptedStreams also end connections given through {@code acceptStream}
     */
    public void drain(boolean includeAcceptedStreams) {
        endEndlessResponses();
        for (HttpConnection connection : live) {
            if (includeAcceptedStreams || !connection.isAcceptedStream()) {
                connection.finishAndClose();
            }
        }
    }

    /**
     * Tells every connection, accepted streams included, that the server drains: WebSockets go away,
     * HTTP/2 connections get GOAWAY, HTTP/1 ones answer their next request with {@code Connection:
     * close} (see {@code HttpConnection.drain}).
     */
    public void startDraining() {
        endEndlessResponses();
        for (HttpConnection connection : live) {
            connection.drain();
        }
    }

    /**
     * Registers a response that never finishes by itself (an open event stream): {@code end} runs when
     * the server starts draining, disconnects or closes, so that its connection can finish as a busy
     * one does after its current response, as WebSockets are told to go away. Closing the result
     * removes it (the response ended on its own).
     */
    public Subscription onDrain(Runnable end) {
        return endlessResponses.add(end);
    }

    private void endEndlessResponses() {
        endlessResponses.forEach(ConnectionRegistry::runQuietly);
    }

    private static void runQuietly(Runnable end) {
        try {
            end.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ending a response for the server's close failed", e);
        }
    }

    /** Waits until no connection is left or {@code millis} pass; returns true when none is left. */
    public boolean awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!live.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every connection at once, cutting responses in progress, and interrupts the threads that
     * serve them, so that a handler blocked in an interruptible wait ends too.
     */
    public void closeAll() {
        for (HttpConnection connection : live) {
            connection.cut();
        }
    }
}
