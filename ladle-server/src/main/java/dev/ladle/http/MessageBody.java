package dev.ladle.http;

import dev.ladle.server.internal.BodyAccess;
import dev.ladle.server.internal.FileRegion;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A request or response body: a sequence of chunks, accumulated or streamed.
 *
 * <p>While {@linkplain #getAccumulate() accumulating} (the default), every chunk is kept and
 * {@link #flatten()} joins them. A streaming writer appends chunks and ends with {@link #complete()};
 * the server takes them with {@link #getChunk(long)} and reports each one written with
 * {@link #wroteChunk(ByteBuffer)}, which drops it when accumulation is off.
 *
 * <p>A body may also hold stretches of files ({@link #appendFile}), which are read only when the body
 * is: a plain HTTP/1.1 connection sends them with {@code sendfile}, without copying them through memory.
 *
 * <p>A large request body that arrived on a plain HTTP/1.1 connection is held in the server's own
 * buffers, outside the heap, which it reuses once the exchange ended: read such a body (or
 * {@link #appendShared share} it with the response) before then. Afterwards it is empty and reading it
 * throws {@link IllegalStateException}; {@link #flatten()} it first to keep its bytes longer. Buffers
 * handed out by {@link #getChunk} are never reused.
 *
 * <p>Thread-safe: a handler thread may append while the connection's thread writes. The monitor only
 * guards memory operations, never I/O, so it costs nothing per body and cannot pin a carrier thread.
 */
public final class MessageBody {
    static {
        BodyAccess.install(new MessageBodyAccess());
    }

    /** File regions are read in pieces of at most this size where they cannot be sent as they are. */
    static final int FILE_READ_SIZE = 64 * 1024;

    /**
     * Chunks not yet discarded, each a {@link ByteBuffer}, a {@link PooledChunk} or a {@link FileRegion};
     * {@code base} is the body offset of the first one. Null while the body is empty or is exactly
     * {@link #single}: most responses are one array, which needs no list.
     */
    List<Object> chunks;
    /** The whole body when it is one owned array (then {@code chunks} is null). */
    byte[] single;
    long base;
    long length;
    boolean complete;
    private boolean accumulate = true;
    private byte[] flattened;
    /** The channels taken over by {@link #appendFile}, closed by {@link #truncate()} or when the exchange ends. */
    List<FileChannel> files;
    /** The exchange this body belongs to, or null for a body made by application code. */
    Object owner;
    /** True once the server took back the buffers of the pooled chunks this body held. */
    boolean released;

    /** Creates an empty, incomplete, accumulating body. */
    public MessageBody() {
    }

    /** Appends a copy of {@code data}. */
    public void append(byte[] data) {
        append(data, 0, data.length);
    }

    /** Appends a copy of {@code data[offset, offset + length)}. */
    public void append(byte[] data, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        appendChunk(ByteBuffer.wrap(copy));
    }

    /** Appends a copy of the remaining bytes of {@code data} (its position is not moved). */
    public void append(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        appendChunk(copy);
    }

    /** Appends the UTF-8 bytes of {@code text}. */
    public void append(String text) {
        appendChunk(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Appends {@code data} without copying it: the caller gives up the array and must not change it
     * afterwards. Saves a copy on hot paths such as {@code setResponse}.
     */
    public void appendOwned(byte[] data) {
        synchronized (this) {
            if (length == 0 && base == 0 && chunks == null && !complete) {
                single = data;
                length = data.length;
                flattened = null;
                return;
            }
        }
        appendChunk(ByteBuffer.wrap(data));
    }

    /**
     * Appends the remaining bytes of {@code data} without copying them: the body keeps a view of them
     * (the buffer's own position and limit stay the caller's), so the caller must not change those bytes
     * afterwards. A chunk of another body ({@link #getChunk}) appended to a response this way is sent
     * from where it is, with no copy.
     *
     * @throws IllegalStateException when the body is already complete
     */
    public void appendOwned(ByteBuffer data) {
        ByteBuffer view = data.slice();
        synchronized (this) {
            addChunk(view, view.remaining());
        }
    }

    /**
     * Appends {@code length} bytes of {@code file} from {@code position}, to be read only when they are
     * read or sent: a plain HTTP/1.1 connection sends them with {@code sendfile}, without copying them
     * through memory; TLS and HTTP/2 connections read them in pieces of at most 64 KiB. The body takes
     * the channel over: it is closed once the exchange whose response this body is ended, or by
     * {@link #truncate()} (a body the server never sends leaves that to its creator's {@code truncate()}).
     * A file that is shorter than promised when the bytes are read cuts the response off: the server closes
     * the connection instead of sending a body shorter than its {@code Content-Length}.
     *
     * @throws IllegalArgumentException when {@code position} or {@code length} is negative
     * @throws IllegalStateException when the body is already complete
     */
    public void appendFile(FileChannel file, long position, long length) {
        java.util.Objects.requireNonNull(file, "file");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative file position or length: " + position + ", " + length);
        }
        synchronized (this) {
            if (complete) {
                throw new IllegalStateException("body already complete");
            }
            if (files == null) {
                files = new ArrayList<>(1);
            }
            files.add(file);
            if (length > 0) {
                addChunk(new FileRegion(file, position, length), length);
            }
        }
    }

    /**
     * Appends the bytes {@code source} holds now without copying them: the two bodies share them, so
     * neither may change them. Appending a request body to its own exchange's response this way echoes it
     * with no copy, also when it is held in the server's own buffers (which stay valid until the exchange
     * ended); appended to any other body, such bytes are never reused by the server. File regions are
     * shared too; their files stay owned by {@code source}.
     *
     * @throws IllegalStateException when this body is complete, or {@code source}'s bytes are discarded or
     *     were released with its exchange
     */
    public void appendShared(MessageBody source) {
        List<Object> pieces;
        byte[] one;
        Object sourceOwner;
        synchronized (source) {
            source.checkReadable();
            if (source.base != 0) {
                throw new IllegalStateException("body chunks were discarded (accumulate is off)");
            }
            one = source.single;
            pieces = source.chunks == null ? List.of() : List.copyOf(source.chunks);
            sourceOwner = source.owner;
        }
        if (one != null) {
            // one array, the common small body: shared as it is
            appendOwned(one);
            return;
        }
        synchronized (this) {
            boolean sameExchange = sourceOwner != null && sourceOwner == owner;
            for (Object piece : pieces) {
                if (piece instanceof PooledChunk pooled && !sameExchange) {
                    pooled.block().escape();
                }
                addChunk(piece instanceof ByteBuffer b ? b.duplicate() : piece, Chunks.lengthOf(piece));
            }
        }
    }


    /** Throws when the server took this body's pooled buffers back; call with the monitor held. */
    void checkReadable() {
        if (released) {
            throw new IllegalStateException("the request body's buffers went back to the server when its exchange"
                    + " ended: read it (or flatten() it) before the exchange ends");
        }
    }

    /** Appends a buffer nobody else has. */
    private void appendChunk(ByteBuffer chunk) {
        synchronized (this) {
            addChunk(chunk, chunk.remaining());
        }
    }

    /** Adds a chunk (a buffer or a file region) of {@code n} bytes; call with the monitor held. */
    void addChunk(Object chunk, long n) {
        if (complete) {
            throw new IllegalStateException("body already complete");
        }
        chunks().add(chunk);
        length += n;
        flattened = null;
    }

    /** The chunk list, made on first need (holding {@link #single} if there is one); call with the monitor held. */
    List<Object> chunks() {
        if (chunks == null) {
            chunks = new ArrayList<>(2);
            if (single != null) {
                chunks.add(ByteBuffer.wrap(single));
                single = null;
            }
        }
        return chunks;
    }

    /** Marks the body as finished: no more chunks will be appended. */
    public void complete() {
        synchronized (this) {
            complete = true;
        }
    }

    /** Returns true once {@link #complete()} was called. */
    public boolean isComplete() {
        synchronized (this) {
            return complete;
        }
    }

    /** Returns the total number of bytes appended so far, including chunks already discarded. */
    public long length() {
        synchronized (this) {
            return length;
        }
    }

    /**
     * Returns all the body's bytes as one array (and marks the body complete, as libsoup does).
     *
     * @throws IllegalStateException when accumulation is off and chunks were already discarded
     */
    public byte[] flatten() {
        List<Object> pieces;
        synchronized (this) {
            checkReadable();
            if (base != 0) {
                throw new IllegalStateException("body chunks were discarded (accumulate is off)");
            }
            complete = true;
            if (single != null) {
                return single;
            }
            if (flattened != null) {
                return flattened;
            }
            if (chunks == null) {
                flattened = new byte[0];
                return flattened;
            }
            if (chunks.size() == 1 && chunks.get(0) instanceof ByteBuffer only && only.hasArray()
                    && only.arrayOffset() == 0 && only.position() == 0 && only.remaining() == only.array().length) {
                flattened = only.array();
                return flattened;
            }
            if (length > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("body of " + length + " bytes does not fit in an array");
            }
            if (!Chunks.anyFile(chunks)) {
                // bytes in memory are joined under the monitor: a view of the server's pooled buffers must
                // be copied before its exchange ends and the server reuses them (releasing the body takes
                // the monitor), also when application code flattens from another thread meanwhile
                flattened = Chunks.join(chunks);
                return flattened;
            }
            pieces = List.copyOf(chunks);
        }
        // joined outside the monitor: file regions are read from disk
        byte[] all = Chunks.join(pieces);
        synchronized (this) {
            flattened = all;
        }
        return all;
    }

    /**
     * Removes every chunk and resets the length to 0; the body is incomplete again. Closes the files it
     * took over ({@link #appendFile}).
     */
    public void truncate() {
        List<FileChannel> owned;
        synchronized (this) {
            clearContent();
            owned = files;
            files = null;
        }
        Chunks.closeAll(owned);
    }

    /** Drops every chunk, leaving the files owned as they are; call with the monitor held. */
    void clearContent() {
        chunks = null;
        single = null;
        base = 0;
        length = 0;
        complete = false;
        flattened = null;
    }

    /** Returns whether chunks are kept after they are read or written (default true). */
    public boolean getAccumulate() {
        synchronized (this) {
            return accumulate;
        }
    }

    /**
     * Sets whether chunks are kept. On a request body, false means the body is only delivered through
     * {@code GotChunk} events (set it in an early handler); on a response body, false drops each chunk
     * once it is written.
     */
    public void setAccumulate(boolean accumulate) {
        synchronized (this) {
            this.accumulate = accumulate;
        }
    }

    /**
     * Returns the data from body offset {@code offset} up to the end of the chunk holding it, as a view
     * that shares the body's memory (so that the server can write it without a copy): read it, do not
     * change it. In a file region ({@link #appendFile}) it is a new buffer of at most 64 KiB read from the
     * file. At the end of the body, returns an empty buffer when the body is complete and null when
     * more may still be appended.
     *
     * @throws IllegalArgumentException when {@code offset} lies in a chunk already discarded
     * @throws java.io.UncheckedIOException when a file region cannot be read, or its file became shorter
     */
    public ByteBuffer getChunk(long offset) {
        return chunkAt(offset, true);
    }

    /**
     * Does {@link #getChunk}'s work; with {@code escape} false (the server's own sending) a view of a
     * pooled block does not mark the block as seen by application code.
     */
    ByteBuffer chunkAt(long offset, boolean escape) {
        Object piece;
        synchronized (this) {
            checkReadable();
            if (offset < base) {
                throw new IllegalArgumentException("offset " + offset + " was already discarded");
            }
            piece = pieceAt(offset);
            if (piece == null) {
                return complete ? ByteBuffer.allocate(0) : null;
            }
            if (piece instanceof PooledChunk pooled) {
                if (escape) {
                    // application code may keep the view: the server never reuses the block
                    pooled.block().escape();
                }
                return pooled.data();
            }
        }
        // a file region is read outside the monitor
        return piece instanceof ByteBuffer buffer ? buffer : ((FileRegion) piece).read(FILE_READ_SIZE);
    }

    /**
     * Returns the bytes from body offset {@code offset} (not before {@code base}) to the end of the chunk
     * holding them, sharing its memory or file ({@link Chunks#cut}); null when none holds them. Call with
     * the monitor held.
     */
    Object pieceAt(long offset) {
        if (single != null) {
            return offset < length ? ByteBuffer.wrap(single, (int) offset, (int) (length - offset)).slice() : null;
        }
        return chunks == null ? null : Chunks.at(chunks, base, offset);
    }

    /** Tells the body that the chunk returned by {@link #getChunk} was written: dropped when not accumulating. */
    public void wroteChunk(ByteBuffer chunk) {
        synchronized (this) {
            if (!accumulate && (single != null || chunks != null && !chunks.isEmpty())) {
                Object first = chunks().get(0);
                if (first instanceof FileRegion region && chunk.remaining() < region.length()) {
                    // a file region is read in pieces: only the piece written goes
                    chunks.set(0, region.from(chunk.remaining()));
                    base += chunk.remaining();
                } else {
                    chunks.remove(0);
                    base += Chunks.lengthOf(first);
                }
            }
        }
    }

    /**
     * Records a chunk that was received: appended when accumulating, otherwise only counted. Used by the
     * server while reading a request body.
     */
    public void gotChunk(ByteBuffer chunk) {
        synchronized (this) {
            if (accumulate) {
                ByteBuffer copy = ByteBuffer.allocate(chunk.remaining());
                copy.put(chunk.duplicate()).flip();
                chunks().add(copy);
            } else {
                base += chunk.remaining();
            }
            length += chunk.remaining();
            flattened = null;
        }
    }
}
