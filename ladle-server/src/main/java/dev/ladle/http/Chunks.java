package dev.ladle.http;

import dev.ladle.server.internal.FileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * What {@link MessageBody} does with its chunks, each a {@link ByteBuffer}, a {@link PooledChunk} or a
 * {@link FileRegion}: their lengths, finding and cutting them without a copy, joining them into one array.
 */
final class Chunks {
    private Chunks() {
    }

    /** Returns the number of bytes a chunk holds. */
    static long lengthOf(Object chunk) {
        if (chunk instanceof ByteBuffer b) {
            return b.remaining();
        }
        return chunk instanceof PooledChunk p ? p.data().remaining() : ((FileRegion) chunk).length();
    }

    /**
     * Returns the bytes of {@code chunks}, whose first starts at body offset {@code base}, from body offset
     * {@code offset} to the end of the chunk holding it, cut as {@link #cut} does; null when none holds it.
     */
    static Object at(List<Object> chunks, long base, long offset) {
        long pos = base;
        for (Object chunk : chunks) {
            long n = lengthOf(chunk);
            if (offset < pos + n) {
                return cut(chunk, offset - pos, pos + n - offset);
            }
            pos += n;
        }
        return null;
    }

    /**
     * Returns {@code count} bytes of {@code chunk} from {@code offset}: a chunk of its kind, sharing its
     * memory or file.
     */
    static Object cut(Object chunk, long offset, long count) {
        if (chunk instanceof FileRegion region) {
            return region.slice(offset, count);
        }
        if (chunk instanceof PooledChunk pooled) {
            return new PooledChunk(slice(pooled.data(), offset, count), pooled.block());
        }
        return slice((ByteBuffer) chunk, offset, count);
    }

    private static ByteBuffer slice(ByteBuffer buffer, long offset, long count) {
        return buffer.slice(buffer.position() + (int) offset, (int) count);
    }

    /** Returns true when one of {@code chunks} is a file region, whose bytes must be read from disk. */
    static boolean anyFile(List<Object> chunks) {
        for (Object chunk : chunks) {
            if (chunk instanceof FileRegion) {
                return true;
            }
        }
        return false;
    }

    /**
     * Joins {@code pieces} into one new array, reading file regions from their files.
     *
     * @throws java.io.UncheckedIOException when a file cannot be read or became shorter
     */
    static byte[] join(List<Object> pieces) {
        long length = 0;
        for (Object piece : pieces) {
            length += lengthOf(piece);
        }
        byte[] all = new byte[(int) length];
        int pos = 0;
        for (Object piece : pieces) {
            if (piece instanceof FileRegion region) {
                region.readInto(all, pos);
                pos += (int) region.length();
            } else {
                ByteBuffer chunk = piece instanceof PooledChunk p ? p.data() : (ByteBuffer) piece;
                int n = chunk.remaining();
                chunk.duplicate().get(all, pos, n);
                pos += n;
            }
        }
        return all;
    }

    /** Closes {@code channels} (null for none); a failure to close a file opened for reading loses nothing. */
    static void closeAll(List<FileChannel> channels) {
        if (channels == null) {
            return;
        }
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it
            }
        }
    }
}
