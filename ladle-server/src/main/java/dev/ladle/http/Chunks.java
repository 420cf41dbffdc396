package dev.ladle.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * What {@link MessageBody} does with its chunks, each a {@link ByteBuffer}, a {@link PooledChunk} or a
 * {@link FileRegion}: their lengths, views of them, joining them into one array.
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

    /** Returns a view of {@code buffer} from {@code skip} bytes after its position. */
    static ByteBuffer view(ByteBuffer buffer, long skip) {
        ByteBuffer view = buffer.duplicate();
        view.position(view.position() + (int) skip);
        return view;
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
