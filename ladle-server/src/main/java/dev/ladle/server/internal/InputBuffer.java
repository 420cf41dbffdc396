package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The read side of a connection: one reused byte array that requests are parsed from in place, with
 * the unread bytes between {@link #pos} and {@link #limit}. Grows only when a request head is larger
 * than the array (up to the header limits), and is the only buffer a plain request allocates.
 */
final class InputBuffer {
    private static final int INITIAL_SIZE = 8 * 1024;
    /** What an idle connection keeps to wait for its next request in: enough for most request heads. */
    private static final int IDLE_SIZE = 512;

    private final InputStream in;
    /** The socket under {@code in} on a plain TCP connection, which body bytes are read from directly; or null. */
    private final java.nio.channels.SocketChannel channel;
    /** The bytes; valid between {@code pos} and {@code limit}. */
    byte[] buf = new byte[INITIAL_SIZE];
    /** The next unread byte. */
    int pos;
    /** One past the last byte read from the stream. */
    int limit;

    InputBuffer(InputStream in) {
        this(in, null);
    }

    /** @param channel the socket under {@code in} on a plain TCP connection, or null */
    InputBuffer(InputStream in, java.nio.channels.SocketChannel channel) {
        this.in = in;
        this.channel = channel;
    }

    /** Returns true when {@link #read(java.nio.ByteBuffer)} can read from the socket into a direct buffer. */
    boolean readsIntoDirectBuffers() {
        return channel != null;
    }

    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst}: the buffered ones first; then, when the
     * socket has bytes waiting, straight from the socket (a direct buffer takes them without a copy);
     * otherwise it waits for them the way every read here does, through the stream, whose read timeout
     * applies, and hands over what came.
     *
     * @return the count read, or -1 at the end of the stream
     */
    int read(java.nio.ByteBuffer dst) throws IOException {
        if (pos == limit) {
            // the channel has no read timeout: it is read only when bytes wait, so that it never blocks
            if (in.available() > 0) {
                int n = channel.read(dst);
                if (n != 0) {
                    return n;
                }
            }
            pos = 0;
            limit = 0;
            if (fill(buf.length) <= 0) {
                return -1;
            }
        }
        int n = Math.min(limit - pos, dst.remaining());
        dst.put(buf, pos, n);
        pos += n;
        return n;
    }

    /** Returns the number of bytes read from the stream but not yet consumed. */
    int available() {
        return limit - pos;
    }

    /**
     * Reads more bytes after {@link #limit}, first making room by moving the unread bytes to the start
     * of the array, or growing it up to {@code maxSize}.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws BufferFullException when the unread bytes already fill {@code maxSize}
     */
    int fill(int maxSize) throws IOException {
        if (buf.length < INITIAL_SIZE && limit == buf.length) {
            buf = Arrays.copyOf(buf, INITIAL_SIZE);
        }
        if (limit == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            } else if (buf.length < maxSize) {
                buf = Arrays.copyOf(buf, Math.min(maxSize, buf.length * 2));
            } else {
                throw BufferFullException.INSTANCE;
            }
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * The array an idle connection waits for its next request in: enough for most request heads. Null
     * while the connection is parked without a thread ({@link #releaseWhileParked}).
     */
    private byte[] idleBuf;
    /**
     * The main array while the connection is idle. The write watchdog may drop it (set it to null) when
     * the connection stays idle, so that thousands of idle keep-alive connections cost little memory.
     */
    private volatile byte[] parked;

    /**
     * Before an idle wait (nothing may be unread): reads go to the small idle array and the main one is
     * parked, where the watchdog can take it away.
     */
    void parkForIdle() {
        if (pos == limit && buf != idleBuf) {
            if (idleBuf == null) {
                idleBuf = new byte[IDLE_SIZE];
            }
            parked = buf.length == 0 ? null : buf;
            buf = idleBuf;
            pos = 0;
            limit = 0;
        }
    }

    /**
     * Lets every array go while the connection waits without a thread (nothing may be unread); the
     * next {@link #parkForIdle()} makes a new idle array, and reading after it a new main one.
     */
    void releaseWhileParked() {
        buf = EMPTY;
        idleBuf = null;
        parked = null;
        pos = 0;
        limit = 0;
    }

    /** After an idle wait: back to the main array (a new one if it was dropped), with what was read. */
    void unparkAfterIdle() {
        if (buf == idleBuf) {
            byte[] main = parked;
            parked = null;
            if (main == null) {
                main = new byte[INITIAL_SIZE];
            }
            System.arraycopy(idleBuf, pos, main, 0, limit - pos);
            limit -= pos;
            pos = 0;
            buf = main;
        }
    }

    /** Lets the parked array go; called by the watchdog for a connection that stays idle. */
    void dropParked() {
        parked = null;
    }

    /** Moves the unread bytes to the start of the array when that leaves more room than it costs. */
    void compactIfWorthIt() {
        if (pos == limit) {
            pos = 0;
            limit = 0;
        } else if (pos > buf.length / 2) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    /**
     * Reads up to {@code len} body bytes into {@code dst}: from the buffered bytes first, then straight
     * from the stream (large reads skip the buffer).
     *
     * @return the count read, or -1 at the end of the stream
     */
    int read(byte[] dst, int off, int len) throws IOException {
        int buffered = limit - pos;
        if (buffered > 0) {
            int n = Math.min(buffered, len);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }
        if (len >= buf.length) {
            return in.read(dst, off, len);
        }
        pos = 0;
        limit = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return -1;
        }
        limit = n;
        int m = Math.min(n, len);
        System.arraycopy(buf, 0, dst, off, m);
        pos = m;
        return m;
    }

    /** Reads one byte, or returns -1 at the end of the stream. */
    int read() throws IOException {
        if (pos == limit) {
            pos = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return -1;
            }
            limit = n;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Hands the rest of the connection to another protocol (a WebSocket, a stolen connection): returns
     * a stream that yields the bytes read but not consumed, then reads straight from the connection,
     * and lets this buffer's arrays go, so that a long-lived upgraded connection keeps none of them.
     */
    InputStream detach() {
        byte[] unread = Arrays.copyOfRange(buf, pos, limit);
        buf = new byte[0];
        idleBuf = buf;
        pos = 0;
        limit = 0;
        parked = null;
        if (unread.length == 0) {
            return in;
        }
        return new PrefixedInput(unread, in);
    }

    /**
     * Bytes read ahead, then the rest of a stream; unlike a {@link java.io.SequenceInputStream} it lets
     * the bytes go once they were read, so a long-lived connection does not keep them.
     */
    private static final class PrefixedInput extends InputStream {
        private final InputStream in;
        private byte[] prefix;
        private int next;

        PrefixedInput(byte[] prefix, InputStream in) {
            this.prefix = prefix;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] p = prefix;
            if (p == null) {
                return in.read();
            }
            int b = p[next++] & 0xff;
            if (next == p.length) {
                prefix = null;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            byte[] p = prefix;
            if (p == null) {
                return in.read(b, off, len);
            }
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            int n = Math.min(len, p.length - next);
            System.arraycopy(p, next, b, off, n);
            next += n;
            if (next == p.length) {
                prefix = null;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            byte[] p = prefix;
            return p == null ? in.available() : p.length - next;
        }

        @Override
        public void close() throws IOException {
            prefix = null;
            in.close();
        }
    }

    /** Signals a request head that does not fit the configured limits. */
    static final class BufferFullException extends IOException {
        private static final long serialVersionUID = 1L;
        static final BufferFullException INSTANCE = new BufferFullException();

        private BufferFullException() {
            super("request head too large", null);
            setStackTrace(new StackTraceElement[0]);
        }
    }
}
