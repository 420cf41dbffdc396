package dev.ladle.sse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lines of an event stream as a client reads them, pumped by a virtual thread of their own so that
 * a test waits for each line with a timeout instead of blocking for ever on a stream that stays open.
 */
public final class StreamLines implements AutoCloseable {
    /** Reads the next line, or returns null at the end of the body. */
    @FunctionalInterface
    public interface LineReader {
        String read() throws IOException;
    }

    /** Marks the end of the body in {@link #lines}. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final AutoCloseable source;

    private StreamLines(LineReader reader, AutoCloseable source) {
        this.source = source;
        Thread.ofVirtual().name("test-stream-lines").start(() -> {
            try {
                String line;
                while ((line = reader.read()) != null) {
                    lines.add(line);
                }
                lines.add(END);
            } catch (IOException | RuntimeException e) {
                lines.add(e);
            }
        });
    }

    /** The lines of a JDK {@code HttpClient} body read with {@code BodyHandlers.ofLines()}. */
    public static StreamLines of(Stream<String> body) {
        Iterator<String> it = body.iterator();
        return new StreamLines(() -> it.hasNext() ? it.next() : null, body::close);
    }

    /** The lines {@code reader} reads; closing them closes {@code source}. */
    public static StreamLines of(LineReader reader, AutoCloseable source) {
        return new StreamLines(reader, source);
    }

    /**
     * Returns the next line, null at the end of the body.
     *
     * @throws AssertionError when none arrives within 10 seconds, or reading failed
     */
    public String next() throws InterruptedException {
        return next(10, TimeUnit.SECONDS);
    }

    /** Returns the next line within the time given, null at the end of the body. */
    public String next(long timeout, TimeUnit unit) throws InterruptedException {
        Object line = lines.poll(timeout, unit);
        if (line == null) {
            throw new AssertionError("no line arrived within " + timeout + " " + unit);
        }
        if (line instanceof Exception e) {
            throw new AssertionError("reading the stream failed", e);
        }
        return line == END ? null : (String) line;
    }

    /** Returns the next {@code n} lines. */
    public List<String> next(int n) throws InterruptedException {
        List<String> got = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            got.add(next());
        }
        return got;
    }

    @Override
    public void close() throws Exception {
        source.close();
    }
}
