package dev.ladle.server.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * The write side of a connection: one reused byte array that a response head and a small body are
 * written into, so that a typical response leaves in one write. Larger bodies go straight to the stream,
 * and, on a plain TCP connection, larger pieces of files straight from the file ({@code sendfile}).
 */
final class OutputBuffer {
    private static final int SIZE = 16 * 1024;
    /** The most of a heap buffer one gathering write takes (see {@link #writeGathering}). */
    private static final int GATHER_SLICE = 256 * 1024;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte[] EMPTY = new byte[0];

    private final OutputStream out;
    /** The socket under a plain TCP connection, which files are sent to; null for other transports. */
    private final SocketChannel channel;
    /** Copies files through a direct buffer instead of {@code sendfile} for a peer on this machine; or null. */
    private final LoopbackFileCopy loopbackCopy;
    private byte[] buf = new byte[SIZE];
    private int count;
    /** A write to the stream failed: the peer is gone, and every later write fails too. */
    private volatile boolean failed;
    /** {@link System#nanoTime()} when the write in progress began, or 0: read by the write watchdog. */
    private volatile long writeStarted;
    /** Bytes went to the stream since its last flush (a flush with nothing new is skipped). */
    private boolean unflushed;

    OutputBuffer(OutputStream out) {
        this(out, null, null);
    }

    /**
     * @param channel the socket under {@code out} on a plain TCP connection, to send files to; or null
     * @param loopbackCopy how files are copied to a peer on this machine instead of sent with
     *     {@code sendfile}; or null
     */
    OutputBuffer(OutputStream out, SocketChannel channel, LoopbackFileCopy loopbackCopy) {
        this.out = out;
        this.channel = channel;
        this.loopbackCopy = loopbackCopy;
    }

    /** Returns true when files can be sent straight to the socket ({@link #writeFile}). */
    boolean sendsFiles() {
        return channel != null;
    }

    /** Returns true once a write to the connection failed. */
    boolean failed() {
        return failed;
    }

    /** Writes to the stream (or, with {@code len < 0}, flushes it), timing the call for the write watchdog. */
    private void send(byte[] data, int off, int len) throws IOException {
        writeStarted = System.nanoTime() | 1;
        try {
            if (len >= 0) {
                out.write(data, off, len);
                unflushed = true;
            } else {
                out.flush();
                unflushed = false;
            }
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            writeStarted = 0;
        }
    }

    /** Returns how long the write in progress has been blocked, in nanoseconds, or 0 when none is. */
    long blockedNanos() {
        long started = writeStarted;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    /**
     * Makes room for {@code n} more bytes: flushes what is buffered when it does not fit, and brings
     * back the array after {@link #parkForIdle()}.
     */
    private void room(int n) throws IOException {
        if (buf.length - count < n) {
            flushBuffer();
            if (buf.length < SIZE) {
                buf = new byte[SIZE];
            }
        }
    }

    void writeAscii(String s) throws IOException {
        int n = s.length();
        if (n > SIZE) {
            flushBuffer();
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) s.charAt(i);
            }
            send(bytes, 0, n);
            return;
        }
        room(n);
        byte[] b = buf;
        int c = count;
        for (int i = 0; i < n; i++) {
            b[c++] = (byte) s.charAt(i);
        }
        count = c;
    }

    void writeByte(int value) throws IOException {
        room(1);
        buf[count++] = (byte) value;
    }

    void writeCrlf() throws IOException {
        room(2);
        buf[count++] = '\r';
        buf[count++] = '\n';
    }

    void writeDecimal(long value) throws IOException {
        room(20);
        if (value == 0) {
            buf[count++] = '0';
            return;
        }
        int start = count;
        long v = value;
        while (v > 0) {
            buf[count++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = start, j = count - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    void writeHex(long value) throws IOException {
        room(16);
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            buf[count++] = HEX[(int) (value >>> (4 * i)) & 0xf];
        }
    }

    void write(byte[] data, int off, int len) throws IOException {
        if (len <= buf.length - count) {
            System.arraycopy(data, off, buf, count, len);
            count += len;
            return;
        }
        if (len >= SIZE / 2) {
            // large: straight to the stream after what is buffered
            flushBuffer();
            send(data, off, len);
            return;
        }
        room(len);
        System.arraycopy(data, off, buf, count, len);
        count += len;
    }

    void write(ByteBuffer data) throws IOException {
        if (channel != null && data.remaining() >= SIZE / 2) {
            writeGathering(data);
            return;
        }
        if (data.hasArray()) {
            write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        ByteBuffer d = data.duplicate();
        while (d.hasRemaining()) {
            room(1);
            int n = Math.min(d.remaining(), buf.length - count);
            d.get(buf, count, n);
            count += n;
        }
    }

    /**
     * Writes what is buffered and {@code data} with one gathering write ({@code writev}) to the socket:
     * the head and a large body piece leave together, and a direct buffer leaves without a copy. A heap
     * buffer is written in slices of at most {@link #GATHER_SLICE}, because the JDK copies a heap buffer
     * into a direct one on every attempt, and a slow client would otherwise make it copy the same bytes
     * again after each partial write.
     */
    private void writeGathering(ByteBuffer data) throws IOException {
        ByteBuffer rest = data.duplicate();
        do {
            int n = rest.isDirect() ? rest.remaining() : Math.min(rest.remaining(), GATHER_SLICE);
            writeDirect(new ByteBuffer[] {rest.slice(rest.position(), n)});
            rest.position(rest.position() + n);
        } while (rest.hasRemaining());
    }

    /**
     * Writes what is buffered, then {@code pieces}, with gathering writes ({@code writev}) on a connection
     * that {@link #sendsFiles()}: direct buffers without a copy, in as few system calls as the socket
     * takes; timed for the write watchdog as writes are.
     *
     * @return the bytes of {@code pieces} written (what was buffered before not counted)
     */
    long writeDirect(ByteBuffer[] pieces) throws IOException {
        ByteBuffer[] all = new ByteBuffer[pieces.length + 1];
        all[0] = ByteBuffer.wrap(buf, 0, count);
        count = 0;
        long piecesBytes = 0;
        for (int i = 0; i < pieces.length; i++) {
            all[i + 1] = pieces[i].duplicate();
            piecesBytes += all[i + 1].remaining();
        }
        long left = all[0].remaining() + piecesBytes;
        writeStarted = System.nanoTime() | 1;
        try {
            int first = 0;
            while (left > 0) {
                left -= channel.write(all, first, all.length - first);
                while (!all[first].hasRemaining() && first < all.length - 1) {
                    first++;
                }
            }
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            writeStarted = 0;
        }
        return piecesBytes;
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position}, on a connection that
     * {@link #sendsFiles()}: a piece that fits in the buffer is read into it, so that a small file leaves
     * in one write with its head; a larger one follows what is buffered by {@code sendfile}.
     *
     * @return the bytes sent by {@code sendfile}
     * @throws EOFException when the file ends before {@code count} bytes (it shrank)
     */
    long writeFile(FileChannel file, long position, long count) throws IOException {
        if (count <= buf.length - this.count) {
            readFile(file, position, (int) count);
            return 0;
        }
        PooledBlock block = loopbackCopy == null ? null : loopbackCopy.lend(count);
        if (block != null) {
            try {
                copyFile(file, position, count, block.buffer());
                loopbackCopy.copied(count);
                return 0;
            } finally {
                loopbackCopy.giveBack(block);
            }
        }
        flushBuffer();
        long done = 0;
        long transferred = 0;
        while (done < count) {
            long n = transfer(file, position + done, count - done);
            if (n > 0) {
                done += n;
                transferred += n;
                continue;
            }
            // Nothing went: the socket's buffer is full (a virtual thread's socket does not block in
            // sendfile), or the file ended. A blocking write of the next piece waits for room.
            if (file.size() <= position + done) {
                throw new EOFException("the file ended " + (count - done)
                        + " bytes early: it shrank while it was sent");
            }
            room(1);
            int piece = (int) Math.min(count - done, buf.length);
            readFile(file, position + done, piece);
            flushBuffer();
            done += piece;
        }
        return transferred;
    }

    /**
     * Copies {@code count} bytes of {@code file} from {@code position} to the socket through {@code buffer},
     * a piece at a time by {@link #writeDirect}: the first piece leaves with what is buffered (the head).
     */
    private void copyFile(FileChannel file, long position, long count, ByteBuffer buffer) throws IOException {
        ByteBuffer[] piece = {buffer};
        long done = 0;
        while (done < count) {
            buffer.clear();
            if (count - done < buffer.capacity()) {
                buffer.limit((int) (count - done));
            }
            if (file.read(buffer, position + done) < 0) {
                throw new EOFException("the file ended " + (count - done) + " bytes early: it shrank while it was sent");
            }
            buffer.flip();
            done += writeDirect(piece);
        }
    }

    /** One {@code transferTo} to the socket, timed for the write watchdog as writes are. */
    private long transfer(FileChannel file, long position, long count) throws IOException {
        writeStarted = System.nanoTime() | 1;
        try {
            return file.transferTo(position, count, channel);
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            writeStarted = 0;
        }
    }

    /** Reads {@code n} bytes of {@code file} from {@code position} into the buffer, which has room for them. */
    private void readFile(FileChannel file, long position, int n) throws IOException {
        FileRegion.readFully(file, position, ByteBuffer.wrap(buf, count, n));
        count += n;
    }

    /** The array while the connection is idle; the watchdog may drop it for a connection that stays idle. */
    private volatile byte[] parked;

    /** Before an idle wait (everything flushed): parks the array where the watchdog can take it away. */
    void parkForIdle() {
        if (count == 0 && buf != EMPTY) {
            parked = buf;
            buf = EMPTY;
        }
    }

    /** After an idle wait: takes the array back; {@link #room} makes a new one if it was dropped. */
    void unparkAfterIdle() {
        byte[] main = parked;
        parked = null;
        if (main != null) {
            buf = main;
        }
    }

    /** Lets the parked array go; called by the watchdog for a connection that stays idle. */
    void dropParked() {
        parked = null;
    }

    /** Hands the buffered bytes to the stream without flushing the stream itself. */
    void flushBuffer() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            send(buf, 0, n);
        }
    }

    /** Writes everything buffered and flushes the stream. */
    void flush() throws IOException {
        flushBuffer();
        if (unflushed) {
            send(null, 0, -1);
        }
    }

    /**
     * Returns the underlying stream without the buffer, its writes timed for the write watchdog as the
     * buffer's own are: for a protocol that takes the connection over and frames its own writes (a
     * WebSocket), so that a peer that stops reading cuts it off after the write timeout too.
     */
    OutputStream unbuffered() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                send(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                send(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                send(null, 0, -1);
            }
        };
    }

    /**
     * Drops whatever is buffered (a stolen connection's unsent response) and lets the array go: the
     * connection belongs to another protocol now (a WebSocket, a stolen connection), and a long-lived
     * one should not keep 16 KiB it never writes through. A later write would allocate a new one.
     */
    void release() {
        count = 0;
        buf = EMPTY;
        parked = null;
    }
}
