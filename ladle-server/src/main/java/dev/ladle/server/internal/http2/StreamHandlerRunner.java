package dev.ladle.server.internal.http2;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs each request stream's handler on a virtual thread of its own (a new one, or one of this
 * connection's that finished its last stream and waits for the next), and settles the stream when the
 * handler returns: resets an unfinished response, drains or cuts off a request body still arriving,
 * and returns the credit of discarded data.
 */
final class StreamHandlerRunner {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());
    private static final ThreadFactory STREAM_THREADS = Thread.ofVirtual().name("ladle-h2-stream").factory();

    private final ReentrantLock lock;
    private final FrameWriter writer;
    private final StreamRegistry registry;
    private final FlowControl flow;
    private final LingeringClose lingeringClose;
    private final Http2StreamHandler handler;

    /** What is left to write and do once a finished stream's state was settled. */
    private record Settlement(boolean cutOff, boolean drained, int connectionIncrement, int streamIncrement) {
    }

    /**
     * @param lock the connection's state lock
     * @param writer where the closing frames go
     * @param registry the streams
     * @param flow takes back the receive credit of discarded request data
     * @param lingeringClose closes a connection going away once its last stream is done
     * @param handler serves each request stream
     * @param maxIdleWorkers how many finished stream threads may wait for the next stream
     */
    StreamHandlerRunner(ReentrantLock lock, FrameWriter writer, StreamRegistry registry, FlowControl flow,
            LingeringClose lingeringClose, Http2StreamHandler handler, int maxIdleWorkers) {
        this.maxIdleWorkers = maxIdleWorkers;
        this.lock = lock;
        this.writer = writer;
        this.registry = registry;
        this.flow = flow;
        this.lingeringClose = lingeringClose;
        this.handler = handler;
    }

    /**
     * Starts the handler of a newly opened stream: on a thread of this connection that finished its last
     * stream and waits for the next, else on a new virtual thread. Reusing the threads of a busy
     * connection saves a thread start and the JDK's bookkeeping of every new thread per request.
     */
    void start(Http2Stream s) {
        StreamWorker idle;
        workersLock.lock();
        try {
            idle = idleWorkers.pollLast();
            running++;
        } finally {
            workersLock.unlock();
        }
        if (idle != null) {
            idle.hand(s);
        } else {
            try {
                STREAM_THREADS.newThread(new StreamWorker(s)).start();
            } catch (RuntimeException | Error e) {
                handlerEnded();
                throw e;
            }
        }
    }

    /**
     * Waits until the handler of every stream started so far has returned and its stream was settled.
     * Called once the connection is over (no stream starts any more), so that the connection counts as
     * open, and a server that closes can interrupt its handlers, until its last request has ended. Not
     * interruptible: a handler ignoring interrupts keeps its connection, as an HTTP/1 handler does.
     */
    void awaitHandlers() {
        workersLock.lock();
        try {
            while (running > 0) {
                handlersReturned.awaitUninterruptibly();
            }
        } finally {
            workersLock.unlock();
        }
    }

    private void handlerEnded() {
        workersLock.lock();
        try {
            if (--running == 0) {
                handlersReturned.signalAll();
            }
        } finally {
            workersLock.unlock();
        }
    }

    /** Lets the waiting stream threads end (the connection is idle or over); later streams start new ones. */
    void retireIdleWorkers(boolean forGood) {
        List<StreamWorker> retired;
        workersLock.lock();
        try {
            if (forGood) {
                workersClosed = true;
            }
            retired = new ArrayList<>(idleWorkers);
            idleWorkers.clear();
        } finally {
            workersLock.unlock();
        }
        for (StreamWorker w : retired) {
            w.retire();
        }
    }

    /**
     * Interrupts the threads running handlers now: for a server that stops waiting for them, so that
     * a handler blocked in an interruptible wait ends. Every stream of the connection is being cut, so
     * an interrupt that reaches a thread just as it moved on to the next stream does no harm.
     */
    void interruptHandlers() {
        for (Thread t : serving) {
            t.interrupt();
        }
    }

    /** The threads running a handler now. */
    private final java.util.Set<Thread> serving = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void serveOne(Http2Stream s) {
        Thread current = Thread.currentThread();
        serving.add(current);
        try {
            handler.serve(s);
        } catch (IOException e) {
            LOG.log(DEBUG, "HTTP/2 stream {0}: {1}", s.id(), e.toString());
        } catch (Exception e) {
            LOG.log(WARNING, "HTTP/2 handler failed on " + s, e);
        } finally {
            serving.remove(current);
            try {
                finish(s);
            } finally {
                handlerEnded();
            }
        }
    }

    /** Guards {@link #idleWorkers}, {@link #workersClosed} and {@link #running}. */
    private final ReentrantLock workersLock = new ReentrantLock();
    /** Signalled when {@link #running} drops to zero. */
    private final java.util.concurrent.locks.Condition handlersReturned = workersLock.newCondition();
    /** Streams started whose handler has not returned (or whose stream is not settled) yet. */
    private int running;
    /** Stream threads that finished their stream and wait for the next one, most recent last. */
    private final ArrayDeque<StreamWorker> idleWorkers = new ArrayDeque<>();
    /** The connection is over: no thread waits for another stream. */
    private boolean workersClosed;
    /** At most this many threads wait for streams: a connection's concurrency limit. */
    private final int maxIdleWorkers;

    /** A stream thread: serves a stream, then waits (parked) to be handed the next one or retired. */
    private final class StreamWorker implements Runnable {
        private volatile Http2Stream next;
        private volatile boolean retired;
        private volatile Thread thread;

        StreamWorker(Http2Stream first) {
            this.next = first;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            Http2Stream s = take();
            while (s != null) {
                serveOne(s);
                // a handler's interrupt must not reach the next stream's handler
                Thread.interrupted();
                s = awaitNext();
            }
        }

        private Http2Stream take() {
            Http2Stream s = next;
            next = null;
            return s;
        }

        private Http2Stream awaitNext() {
            workersLock.lock();
            try {
                if (workersClosed || idleWorkers.size() >= maxIdleWorkers) {
                    return null;
                }
                idleWorkers.addLast(this);
            } finally {
                workersLock.unlock();
            }
            while (true) {
                Http2Stream s = take();
                if (s != null) {
                    return s;
                }
                if (retired) {
                    return null;
                }
                LockSupport.park(this);
            }
        }

        /** Gives this waiting thread its next stream (it was taken off the idle list). */
        void hand(Http2Stream s) {
            next = s;
            LockSupport.unpark(thread);
        }

        /** Ends this waiting thread (it was taken off the idle list). */
        void retire() {
            retired = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * Ends a stream once its handler returned: an unfinished response is reset with INTERNAL_ERROR; a
     * request body still arriving is cut off with RST_STREAM NO_ERROR after our END_STREAM, and the
     * credit of its discarded data goes back to the connection window.
     */
    private void finish(Http2Stream s) {
        boolean unfinished = claimUnfinishedReset(s);
        try {
            writer.lock();
            try {
                if (unfinished && !s.rstWritten) {
                    writer.rstStream(s.id(), ErrorCode.INTERNAL_ERROR);
                    s.rstWritten = true;
                }
                s.outputClosed = true;
                writer.requestFlush();
            } finally {
                writer.unlock();
            }
        } catch (IOException e) {
            // the connection failed; end() tells everyone
        }
        Settlement after = settle(s);
        try {
            writeSettlement(s, after);
            if (after.drained()) {
                writer.flushNow();
            }
        } catch (IOException e) {
            // the connection failed; end() tells everyone
        }
        if (after.drained()) {
            lingeringClose.closeSoon();
        }
    }

    /** True when the response was unfinished and this call set the stream's reset code (INTERNAL_ERROR). */
    private boolean claimUnfinishedReset(Http2Stream s) {
        lock.lock();
        try {
            // claim the reset under the state lock, so a concurrent stream error writes the only RST_STREAM
            boolean unfinished = !s.localEnded && s.resetCode == null;
            if (unfinished) {
                s.resetCode = ErrorCode.INTERNAL_ERROR;
                s.resetByUs = true;
                // free the slot before the RST_STREAM goes out: the client may open the next stream at once
                registry.closeIfDone(s);
            }
            return unfinished;
        } finally {
            lock.unlock();
        }
    }

    /** Decides, under the state lock, whether the rest of the request is drained, cut off or was complete. */
    private Settlement settle(Http2Stream s) {
        lock.lock();
        try {
            boolean bodyComing = !s.remoteClosed && s.resetCode == null;
            // answered before its body ended: keep reading (and checking) the rest for a while, as
            // HTTP/1 reads a small body away, instead of cutting the client off mid-request
            boolean drain = bodyComing && s.localEnded && !registry.ended() && !registry.goingAway()
                    && s.received <= StreamRegistry.DRAIN_LIMIT;
            boolean cutOff = bodyComing && !drain;
            if (cutOff) {
                s.resetCode = ErrorCode.NO_ERROR;
                s.resetByUs = true;
            }
            int discarded = s.discard();
            int connectionIncrement = flow.consumeOnConnection(discarded);
            s.handlerDone = true;
            registry.closeIfDone(s);
            if (drain) {
                StreamRegistry.startDraining(s, discarded);
                int streamIncrement = s.receiveWindow.consume(discarded);
                return new Settlement(false, false, connectionIncrement, streamIncrement);
            }
            boolean drained = registry.removeFinished(s);
            return new Settlement(cutOff, drained, connectionIncrement, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the RST_STREAM of a cut-off body and the WINDOW_UPDATEs a settled stream owes. */
    private void writeSettlement(Http2Stream s, Settlement after) throws IOException {
        if (!after.cutOff() && after.connectionIncrement() <= 0 && after.streamIncrement() <= 0) {
            return;
        }
        writer.lock();
        try {
            if (after.cutOff() && !s.rstWritten) {
                writer.rstStream(s.id(), ErrorCode.NO_ERROR);
                s.rstWritten = true;
            }
            if (after.connectionIncrement() > 0) {
                writer.windowUpdate(0, after.connectionIncrement());
            }
            if (after.streamIncrement() > 0 && !s.rstWritten) {
                writer.windowUpdate(s.id(), after.streamIncrement());
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
    }
}
