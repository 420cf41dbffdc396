package dev.ladle.junit;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a {@link MockServer} sends the requests nothing the test set up answers: nowhere (they get
 * 404), to a real server, or to a real server while recording its answers. Thread-safe: the route is
 * read by every unmatched request and changed by the test.
 */
final class ProxyRoute implements AutoCloseable {
    /** How long a request forwarded to a real server may take, connecting included. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProxyForwarder forwarder = new ProxyForwarder(TIMEOUT);
    /** Held while the route changes, so that starting and stopping a recording see one another. */
    private final ReentrantLock changing = new ReentrantLock();
    /** Where unmatched requests go, or null: they get 404. */
    private volatile UnmatchedProxy proxy;
    /** The proxy to go back to when a recording stops. */
    private UnmatchedProxy beforeRecording;

    /**
     * Forwards to {@code target} from now on, or to nowhere when it is null.
     *
     * @throws IllegalArgumentException when {@code target} is not an http or https URI without a query
     * @throws IllegalStateException while recording
     */
    void forwardTo(URI target) {
        UnmatchedProxy next = target == null ? null : new UnmatchedProxy(target, null);
        changing.lock();
        try {
            if (recording() != null) {
                throw new IllegalStateException("recording: stopRecording() first");
            }
            proxy = next;
        } finally {
            changing.unlock();
        }
    }

    /**
     * Forwards to {@code target} and keeps the real answers until {@link #stopRecording()}.
     *
     * @throws IllegalArgumentException when {@code target} is not an http or https URI without a query
     * @throws IllegalStateException when already recording
     */
    void startRecording(URI target) {
        UnmatchedProxy recording = new UnmatchedProxy(target, new Recording());
        changing.lock();
        try {
            if (recording() != null) {
                throw new IllegalStateException("already recording to " + proxy.target());
            }
            beforeRecording = proxy;
            proxy = recording;
        } finally {
            changing.unlock();
        }
    }

    /**
     * Goes back to the route before {@link #startRecording} and returns what was recorded.
     *
     * @throws IllegalStateException when not recording
     */
    Recording stopRecording() {
        changing.lock();
        try {
            Recording recording = recording();
            if (recording == null) {
                throw new IllegalStateException("not recording: startRecording(target) first");
            }
            proxy = beforeRecording;
            beforeRecording = null;
            return recording;
        } finally {
            changing.unlock();
        }
    }

    /** The real server's answer to {@code request} (a 502 when it cannot be had), or null when not forwarding. */
    Answer forward(RecordedRequest request) {
        UnmatchedProxy via = proxy;
        return via == null ? null : via.answer(forwarder, request);
    }

    /** Aborts the requests waiting for a real answer, and forwards no more. */
    @Override
    public void close() {
        forwarder.close();
    }

    private Recording recording() {
        UnmatchedProxy now = proxy;
        return now == null ? null : now.recording();
    }
}
