package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One plain TCP connection's way into the server's {@link IdleSelector} and back: the switch of its
 * channel between blocking mode (its own thread reads and writes through the socket's streams) and
 * non-blocking mode (parked: registered with the selector, no thread).
 *
 * <p>While the channel is parked, the socket's streams refuse to work, so every write goes through
 * {@link #guard}: a thread that writes to a parked connection (a WebSocket message sent by another
 * thread, a keepalive ping, an HTTP/2 GOAWAY) first has the connection resumed and waits until its
 * channel blocks again. A write in progress keeps the connection from parking ({@link #enterNonBlocking}
 * fails and the connection keeps its thread for another wait).
 */
final class ChannelParking {
    private static final System.Logger LOG = System.getLogger(ChannelParking.class.getName());
    private static final Thread.Builder THREADS = Thread.ofVirtual().name("ladle-connection");

    final SocketChannel channel;
    private final IdleSelector selector;
    /** What a new thread runs when the connection is resumed. */
    private final Runnable onResume;
    /** Held by each write and by each switch of the channel's mode; the connection only tries it. */
    private final ReentrantLock modeLock = new ReentrantLock();
    private final Condition unparked = modeLock.newCondition();
    /** True from the switch to non-blocking mode until the resumed thread switched back. Written under {@link #modeLock}. */
    private volatile boolean parked;
    /** Somebody asked for the connection back before the selector registered it: it is resumed at once then. */
    volatile boolean wakeRequested;
    /** The channel's key while it is registered; the selector's thread only. */
    SelectionKey key;

    /**
     * @param onResume run on a new virtual thread each time the parked connection is resumed; it must
     *     call {@link #restoreBlocking()} before any I/O
     */
    ChannelParking(SocketChannel channel, IdleSelector selector, Runnable onResume) {
        this.channel = channel;
        this.selector = selector;
        this.onResume = onResume;
    }

    /**
     * Switches the channel to non-blocking mode, the first step of parking; called by the connection's
     * thread at the end of its life, with nothing left to read or write.
     *
     * @return false when a write is in progress or the channel is closed: the connection did not park
     *     and goes on with its thread
     */
    boolean enterNonBlocking() {
        if (!modeLock.tryLock()) {
            return false;
        }
        try {
            channel.configureBlocking(false);
            // set after the switch: a close in between finds the channel closed at registration instead
            parked = true;
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            modeLock.unlock();
        }
    }

    /**
     * Hands the non-blocking channel to the selector. After a true return the calling thread must not
     * touch the connection again: a new thread may already be serving it.
     *
     * @return false when the selector is not available: the caller calls {@link #restoreBlocking()}
     *     and goes on with its thread
     */
    boolean park() {
        return selector.park(this);
    }

    /**
     * Puts the channel back into blocking mode; called first by the resumed thread (or by a thread
     * whose {@link #park()} failed). Writers waiting for the connection go on once it returns.
     *
     * @throws IOException when the channel was closed meanwhile
     */
    void restoreBlocking() throws IOException {
        modeLock.lock();
        try {
            parked = false;
            unparked.signalAll();
            channel.configureBlocking(true);
        } finally {
            modeLock.unlock();
        }
    }

    /**
     * Asks for the parked connection to be resumed now, from any thread: after its channel was closed
     * (so that its end is handled), or to write to it. Does nothing when it is not parked.
     */
    void wake() {
        if (parked) {
            wakeRequested = true;
            selector.wake(this);
        }
    }

    /** Called by the selector once the channel is deregistered: the connection goes on on a new thread. */
    void resumed() {
        try {
            THREADS.start(onResume);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "cannot resume an idle connection; closing it", e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Returns {@code out} with every write waiting, when the connection is parked, until it blocks again. */
    OutputStream guard(OutputStream out) {
        return new GuardedOutput(out);
    }

    /** Takes the mode lock for a write, first resuming a parked connection and waiting for its blocking mode. */
    private void lockForWrite() throws InterruptedIOException {
        modeLock.lock();
        while (parked) {
            wakeRequested = true;
            selector.wake(this);
            try {
                unparked.await();
            } catch (InterruptedException e) {
                modeLock.unlock();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the idle connection was resumed for a write");
            }
        }
    }

    /** The socket's output stream behind {@link #lockForWrite()}. */
    private final class GuardedOutput extends OutputStream {
        private final OutputStream out;

        GuardedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            lockForWrite();
            try {
                out.write(b, off, len);
            } finally {
                modeLock.unlock();
            }
        }

        @Override
        public void flush() throws IOException {
            // a socket's stream sends on write and has nothing to flush: no need to wait for a parked connection
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
            wake();
        }
    }
}
