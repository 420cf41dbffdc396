package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import java.nio.channels.FileChannel;

/**
 * What the server does with a {@link MessageBody} beyond its public API: find the file regions it can
 * send with {@code sendfile}, cut ranges out of it without copying, and give back what it holds once
 * its exchange ended. {@code MessageBody} installs the one implementation when its class is loaded;
 * this package is not exported, so applications cannot reach it.
 */
public abstract class BodyAccess {
    private static volatile BodyAccess instance;

    /** For {@code MessageBody} only. */
    protected BodyAccess() {
    }

    /**
     * Installs the implementation; called once, by {@code MessageBody}'s class initialisation.
     *
     * @throws IllegalStateException when one is installed already
     */
    public static synchronized void install(BodyAccess access) {
        if (instance != null) {
            throw new IllegalStateException("body access already installed");
        }
        instance = access;
    }

    /** Returns the implementation, loading {@code MessageBody} first if nothing has yet. */
    static BodyAccess get() {
        BodyAccess access = instance;
        if (access == null) {
            try {
                Class.forName(MessageBody.class.getName(), true, MessageBody.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = instance;
        }
        return access;
    }

    /** A stretch of a file in a body: {@code length} bytes of {@code channel} from {@code position}. */
    public record FileSlice(FileChannel channel, long position, long length) {
    }

    /**
     * Returns the file region that holds body offset {@code offset}, from that offset to the region's
     * end; null when the bytes there are in memory or the body has none there.
     */
    public abstract FileSlice fileAt(MessageBody body, long offset);

    /** Returns true when the body holds a file region (its bytes are not all in memory). */
    public abstract boolean hasFiles(MessageBody body);

    /**
     * Moves the content of {@code body} (its chunks and file regions) into a new, complete body, leaving
     * {@code body} empty and incomplete. The files stay owned by {@code body}: slices of the moved content
     * appended back to it ({@link #appendSlice}) are closed with it.
     */
    public abstract MessageBody moveOut(MessageBody body);

    /**
     * Appends {@code length} bytes of {@code source} from {@code from} to {@code target} without copying
     * them: views of its memory, sub-regions of its files (whose channels stay owned where they were).
     *
     * @throws IllegalArgumentException when the range lies outside what {@code source} still holds
     */
    public abstract void appendSlice(MessageBody target, MessageBody source, long from, long length);

    /**
     * Returns the data from body offset {@code offset} to the end of its chunk, as
     * {@link MessageBody#getChunk} does, but without marking a pooled block as seen by application code:
     * for the server's own sending.
     */
    public abstract java.nio.ByteBuffer chunkAt(MessageBody body, long offset);

    /** Appends {@code data}, a view of {@code block}'s buffer, to {@code body} (owned by the server's pool). */
    public abstract void appendPooled(MessageBody body, java.nio.ByteBuffer data, PooledBlock block);

    /** Marks {@code body} as belonging to {@code exchange}, so that sharing within it needs no caution. */
    public abstract void setOwner(MessageBody body, Object exchange);

    /**
     * Once its exchange ended and its pooled blocks went back: empties {@code body} if it held any, so
     * that reading it throws instead of showing another request's bytes.
     */
    public abstract void releasePooled(MessageBody body);

    /** Gives back what the body holds outside the heap, once its exchange ended: closes the files it owns. */
    public abstract void release(MessageBody body);
}
