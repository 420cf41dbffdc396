package dev.ladle.server.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the JVM running while a server listens. Every thread of the server is virtual, and virtual
 * threads are daemons: without this, a {@code main} that starts a server and returns would end the
 * program at once. One small platform thread (not a daemon) waits here from the first listener to
 * {@code disconnect()} or {@code close()}, as the JDK {@code HttpServer}'s dispatcher thread keeps its
 * program running.
 */
final class JvmAnchor {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private boolean held;
    /** The waiting thread while there is one. */
    private Thread thread;

    /** Keeps the JVM running until {@link #release()}; harmless when already held. */
    void hold() {
        lock.lock();
        try {
            held = true;
            if (thread == null) {
                thread = Thread.ofPlatform().daemon(false).name("ladle-listening").stackSize(64 * 1024).start(this::await);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets the JVM end again (when nothing else keeps it running); harmless when not held. */
    void release() {
        lock.lock();
        try {
            held = false;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns true while a thread keeps the JVM running for this server. */
    boolean isHolding() {
        lock.lock();
        try {
            return thread != null;
        } finally {
            lock.unlock();
        }
    }

    private void await() {
        lock.lock();
        try {
            while (held) {
                released.awaitUninterruptibly();
            }
            thread = null;
        } finally {
            lock.unlock();
        }
    }
}
