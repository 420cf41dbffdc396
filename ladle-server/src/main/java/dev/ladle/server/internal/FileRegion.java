package dev.ladle.server.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stretch of a file that a {@code MessageBody} holds instead of its bytes: read only when the body is
 * read or sent (by {@code sendfile} where the connection allows). Immutable; the channel belongs to the
 * body that took it over.
 */
public record FileRegion(FileChannel channel, long position, long length) {

    /** Returns the region from {@code offset} (relative to its start) to its end. */
    public FileRegion from(long offset) {
        return new FileRegion(channel, position + offset, length - offset);
    }

    /** Returns {@code count} bytes of the region from {@code offset} (relative to its start). */
    public FileRegion slice(long offset, long count) {
        return new FileRegion(channel, position + offset, count);
    }

    /**
     * Reads up to {@code max} bytes from the region's start into a new buffer.
     *
     * @throws UncheckedIOException when the file cannot be read, or ends before the region does (it shrank
     *     after it was appended)
     */
    public ByteBuffer read(int max) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, length));
        readUnchecked(buffer);
        return buffer.flip();
    }

    /** Reads the whole region into {@code dst} from {@code dstOffset}; throws as {@link #read} does. */
    public void readInto(byte[] dst, int dstOffset) {
        readUnchecked(ByteBuffer.wrap(dst, dstOffset, (int) length));
    }

    private void readUnchecked(ByteBuffer dst) {
        try {
            readFully(channel, position, dst);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code dst.remaining()} bytes of {@code file} from {@code position} into {@code dst}.
     *
     * @throws EOFException when the file ends first: it shrank after its bytes were appended to a body
     */
    static void readFully(FileChannel file, long position, ByteBuffer dst) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = file.read(dst, at);
            if (n < 0) {
                throw new EOFException("the file ended " + dst.remaining()
                        + " bytes early: it shrank after it was appended");
            }
            at += n;
        }
    }
}
