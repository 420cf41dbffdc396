package dev.ladle.http;

import dev.ladle.server.internal.BodyAccess;
import dev.ladle.server.internal.FileRegion;
import dev.ladle.server.internal.PooledBlock;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/** The server's view into {@link MessageBody} ({@link BodyAccess}); installed by {@code MessageBody}. */
final class MessageBodyAccess extends BodyAccess {

    @Override
    public FileRegion fileAt(MessageBody body, long offset) {
        synchronized (body) {
            return offset >= body.base && body.pieceAt(offset) instanceof FileRegion region ? region : null;
        }
    }

    @Override
    public boolean hasFiles(MessageBody body) {
        synchronized (body) {
            return body.chunks != null && Chunks.anyFile(body.chunks);
        }
    }

    @Override
    public MessageBody moveOut(MessageBody body) {
        MessageBody moved = new MessageBody();
        synchronized (body) {
            moved.chunks = body.chunks;
            moved.single = body.single;
            moved.base = body.base;
            moved.length = body.length;
            body.clearContent();
        }
        moved.complete();
        return moved;
    }

    @Override
    public void appendSlice(MessageBody target, MessageBody source, long from, long length) {
        List<Object> pieces = new ArrayList<>(2);
        synchronized (source) {
            if (from < source.base || length < 0 || from + length > source.length) {
                throw new IllegalArgumentException("range " + from + "+" + length + " is not in the body");
            }
            long end = from + length;
            long pos = source.base;
            List<Object> chunks = source.single != null ? List.of(ByteBuffer.wrap(source.single))
                    : source.chunks == null ? List.of() : source.chunks;
            for (Object chunk : chunks) {
                long n = Chunks.lengthOf(chunk);
                long start = Math.max(from, pos);
                long stop = Math.min(end, pos + n);
                if (start < stop) {
                    pieces.add(Chunks.cut(chunk, start - pos, stop - start));
                }
                pos += n;
            }
        }
        synchronized (target) {
            for (Object piece : pieces) {
                target.addChunk(piece, Chunks.lengthOf(piece));
            }
        }
    }

    @Override
    public ByteBuffer chunkAt(MessageBody body, long offset) {
        return body.chunkAt(offset, false);
    }

    @Override
    public void appendPooled(MessageBody body, ByteBuffer data, PooledBlock block) {
        synchronized (body) {
            body.addChunk(new PooledChunk(data, block), data.remaining());
        }
    }

    @Override
    public void setOwner(MessageBody body, Object exchange) {
        synchronized (body) {
            body.owner = exchange;
        }
    }

    @Override
    public void releasePooled(MessageBody body) {
        synchronized (body) {
            if (body.chunks == null) {
                return;
            }
            for (Object chunk : body.chunks) {
                if (chunk instanceof PooledChunk) {
                    body.clearContent();
                    body.released = true;
                    return;
                }
            }
        }
    }

    @Override
    public void release(MessageBody body) {
        List<FileChannel> owned;
        synchronized (body) {
            owned = body.files;
            body.files = null;
        }
        Chunks.closeAll(owned);
    }
}
