package dev.ladle.fuzz;

import java.io.InputStream;

/**
 * An in-memory peer that hands its bytes over a few at a time (1 to 7 per read, in a fixed cycle), as
 * a slow network does, so that fuzz inputs also exercise the parsers' refills and their handling of
 * tokens split across reads. Deterministic: the same input always splits the same way.
 */
public final class TrickleInput extends InputStream {
    private static final int MAX_READ = 7;

    private final byte[] data;
    private int pos;
    private int reads;

    /** Serves {@code data}, then the end of the stream. */
    public TrickleInput(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos == data.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, data.length - pos), reads++ % MAX_READ + 1);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Returns the number of bytes not read yet. */
    @Override
    public int available() {
        return data.length - pos;
    }
}
