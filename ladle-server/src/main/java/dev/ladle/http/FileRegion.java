package dev.ladle.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stretch of a file that a {@link MessageBody} holds instead of its bytes: read only when the body is
 * read or sent (by {@code sendfile} where the connection allows). Immutable; the channel belongs to the
 * body that took it over.
 */
record FileRegion(FileChannel channel, long position, long length) {

    /** Returns the region from {@code offset} (relative to its start) to its end. */
    FileRegion from(long offset) {
        return new FileRegion(channel, position + offset, length - offset);
    }

    /** Returns {@code count} bytes of the region from {@code offset} (relative to its start). */
    FileRegion slice(long offset, long count) {
        return new FileRegion(channel, position + offset, count);
    }

    /**
     * Reads up to {@code max} bytes from {@code offset} (relative to the region's start) into a new buffer.
     *
     * @throws UncheckedIOException when the file cannot be read, or ends before the region does (it shrank
     *     after it was appended)
     */
    ByteBuffer read(long offset, int max) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, length - offset));
        readFully(buffer, position + offset);
        return buffer.flip();
    }

    /** Reads the whole region into {@code dst} from {@code dstOffset}; throws as {@link #read} does. */
    void readInto(byte[] dst, int dstOffset) {
        readFully(ByteBuffer.wrap(dst, dstOffset, (int) length), position);
    }

    private void readFully(ByteBuffer buffer, long filePosition) {
        long at = filePosition;
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new EOFException("the file ended " + buffer.remaining()
                            + " bytes before the body's end: it shrank after it was appended");
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
