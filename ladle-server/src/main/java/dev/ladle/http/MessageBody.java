package dev.ladle.http;

import java.nio.ByteBuffer;
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
 * <p>Thread-safe: a handler thread may append while the connection's thread writes. The monitor only
 * guards memory operations, never I/O, so it costs nothing per body and cannot pin a carrier thread.
 */
public final class MessageBody {
    /**
     * Chunks not yet discarded; {@code base} is the body offset of the first one. Null while the body is
     * empty or is exactly {@link #single}: most responses are one array, which needs no list.
     */
    private List<ByteBuffer> chunks;
    /** The whole body when it is one owned array (then {@code chunks} is null). */
    private byte[] single;
    private long base;
    private long length;
    private boolean complete;
    private boolean accumulate = true;
    private byte[] flattened;

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
        appendOwned(ByteBuffer.wrap(copy));
    }

    /** Appends a copy of the remaining bytes of {@code data} (its position is not moved). */
    public void append(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        appendOwned(copy);
    }

    /** Appends the UTF-8 bytes of {@code text}. */
    public void append(String text) {
        appendOwned(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
        appendOwned(ByteBuffer.wrap(data));
    }

    private void appendOwned(ByteBuffer chunk) {
        synchronized (this) {
            if (complete) {
                throw new IllegalStateException("body already complete");
            }
            chunks().add(chunk);
            length += chunk.remaining();
            flattened = null;
        }
    }

    /** The chunk list, made on first need (holding {@link #single} if there is one); call with the monitor held. */
    private List<ByteBuffer> chunks() {
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
        synchronized (this) {
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
            if (chunks.size() == 1 && chunks.get(0).hasArray() && chunks.get(0).arrayOffset() == 0
                    && chunks.get(0).position() == 0 && chunks.get(0).remaining() == chunks.get(0).array().length) {
                flattened = chunks.get(0).array();
                return flattened;
            }
            if (length > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("body of " + length + " bytes does not fit in an array");
            }
            byte[] all = new byte[(int) length];
            int pos = 0;
            for (ByteBuffer chunk : chunks) {
                int n = chunk.remaining();
                chunk.duplicate().get(all, pos, n);
                pos += n;
            }
            flattened = all;
            return all;
        }
    }

    /** Removes every chunk and resets the length to 0; the body is incomplete again. */
    public void truncate() {
        synchronized (this) {
            chunks = null;
            single = null;
            base = 0;
            length = 0;
            complete = false;
            flattened = null;
        }
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
     * change it. At the end of the body, returns an empty buffer when the body is complete and null when
     * more may still be appended.
     *
     * @throws IllegalArgumentException when {@code offset} lies in a chunk already discarded
     */
    public ByteBuffer getChunk(long offset) {
        synchronized (this) {
            if (offset < base) {
                throw new IllegalArgumentException("offset " + offset + " was already discarded");
            }
            if (single != null && offset < length) {
                return ByteBuffer.wrap(single, (int) offset, (int) (length - offset)).slice();
            }
            long pos = base;
            for (ByteBuffer chunk : chunks == null ? List.<ByteBuffer>of() : chunks) {
                int n = chunk.remaining();
                if (offset < pos + n) {
                    ByteBuffer view = chunk.duplicate();
                    view.position(view.position() + (int) (offset - pos));
                    return view;
                }
                pos += n;
            }
            return complete ? ByteBuffer.allocate(0) : null;
        }
    }

    /** Tells the body that the chunk returned by {@link #getChunk} was written: dropped when not accumulating. */
    public void wroteChunk(ByteBuffer chunk) {
        synchronized (this) {
            if (!accumulate && (single != null || chunks != null && !chunks.isEmpty())) {
                ByteBuffer first = chunks().remove(0);
                base += first.remaining();
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
