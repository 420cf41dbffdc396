package dev.ladle.junit;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * When the bytes of a {@link MockResponse} go out: a delay before the answer, the body whole or in
 * pieces with a pause between them (within a {@code Content-Length} or as HTTP/1.1 chunks), and how long
 * a {@code 100 Continue} is held back.
 *
 * @param delay the wait before the answer, drawn afresh for each request
 * @param pieceSize the size of the pieces the body goes out in; 0 when it goes out whole
 * @param piecePause the pause between two pieces
 * @param chunked true when the pieces go out as HTTP/1.1 chunks, false when within a Content-Length
 * @param continueDelay how long a {@code 100 Continue} is held back
 */
record Pacing(Delay delay, int pieceSize, Duration piecePause, boolean chunked, Delay continueDelay) {
    /** Writes {@code len} bytes of a body from {@code off}: one piece. */
    @FunctionalInterface
    interface PieceWriter {
        void write(byte[] body, int off, int len) throws IOException;
    }

    /** At once, the body whole. */
    static final Pacing NONE = new Pacing(Delay.NONE, 0, Duration.ZERO, false, Delay.NONE);

    Pacing withDelay(Delay delay) {
        return new Pacing(delay, pieceSize, piecePause, chunked, continueDelay);
    }

    /**
     * The body in pieces of {@code size} bytes with {@code pause} between them.
     *
     * @throws IllegalArgumentException when {@code size < 1} or {@code pause} is negative
     */
    Pacing inPieces(int size, Duration pause, boolean chunked) {
        if (size < 1) {
            throw new IllegalArgumentException("the size of a piece of the body must be positive: " + size);
        }
        return new Pacing(delay, size, Delay.requireNonNegative(pause, "pause"), chunked, continueDelay);
    }

    Pacing withContinueDelay(Delay continueDelay) {
        return new Pacing(delay, pieceSize, piecePause, chunked, continueDelay);
    }

    /**
     * Writes the first {@code end} bytes of {@code body} in this pacing's pieces (all at once when it has
     * none), each through {@code out}, with {@code pause} between them.
     *
     * @param pause waits a pause; false when the wait was cut short and the body must stop
     * @return false when a pause was cut short
     */
    boolean writePieces(byte[] body, int end, Predicate<Duration> pause, PieceWriter out) throws IOException {
        int piece = pieceSize > 0 ? pieceSize : Math.max(1, end);
        for (int off = 0; off < end; off += piece) {
            if (off > 0 && !pause.test(piecePause)) {
                return false;
            }
            out.write(body, off, Math.min(piece, end - off));
        }
        return true;
    }

    /** {@code , after 200 ms, chunks of 4}: for {@link MockResponse#toString()}; empty when at once. */
    String describe() {
        return (delay.isNone() ? "" : ", after " + delay)
                + (pieceSize > 0 ? (chunked ? ", chunks of " : ", pieces of ") + pieceSize : "");
    }
}
