package dev.ladle.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The write side of a connection: one reused byte array that a response head and a small body are
 * written into, so that a typical response leaves in one write. Larger bodies go straight to the stream.
 */
final class OutputBuffer {
    private static final int SIZE = 16 * 1024;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buf = new byte[SIZE];
    private int count;
    /** A write to the stream failed: the peer is gone, and every later write fails too. */
    private volatile boolean failed;

    OutputBuffer(OutputStream out) {
        this.out = out;
    }

    /** Returns true once a write to the connection failed. */
    boolean failed() {
        return failed;
    }

    private void send(byte[] data, int off, int len) throws IOException {
        try {
            out.write(data, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /** Returns the underlying stream. */
    OutputStream stream() {
        return out;
    }

    void writeAscii(String s) throws IOException {
        int n = s.length();
        if (n > SIZE - count) {
            flushBuffer();
            if (n > SIZE) {
                byte[] bytes = new byte[n];
                for (int i = 0; i < n; i++) {
                    bytes[i] = (byte) s.charAt(i);
                }
                send(bytes, 0, bytes.length);
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            buf[count++] = (byte) s.charAt(i);
        }
    }

    void writeByte(int b) throws IOException {
        if (count == SIZE) {
            flushBuffer();
        }
        buf[count++] = (byte) b;
    }

    void writeCrlf() throws IOException {
        if (SIZE - count < 2) {
            flushBuffer();
        }
        buf[count++] = '\r';
        buf[count++] = '\n';
    }

    void writeDecimal(long value) throws IOException {
        if (SIZE - count < 20) {
            flushBuffer();
        }
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
        if (SIZE - count < 16) {
            flushBuffer();
        }
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            buf[count++] = HEX[(int) (value >>> (4 * i)) & 0xf];
        }
    }

    void write(byte[] data, int off, int len) throws IOException {
        if (len <= SIZE - count) {
            System.arraycopy(data, off, buf, count, len);
            count += len;
            return;
        }
        flushBuffer();
        if (len < SIZE / 2) {
            System.arraycopy(data, off, buf, 0, len);
            count = len;
        } else {
            send(data, off, len);
        }
    }

    void write(ByteBuffer data) throws IOException {
        if (data.hasArray()) {
            write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        ByteBuffer d = data.duplicate();
        while (d.hasRemaining()) {
            if (count == SIZE) {
                flushBuffer();
            }
            int n = Math.min(d.remaining(), SIZE - count);
            d.get(buf, count, n);
            count += n;
        }
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
        try {
            out.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /** Drops whatever is buffered (a stolen connection's unsent response). */
    void discard() {
        count = 0;
    }
}
