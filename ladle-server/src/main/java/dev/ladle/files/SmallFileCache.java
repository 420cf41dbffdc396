package dev.ladle.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contents of small files that {@link StaticFiles} served, so that serving one again costs the
 * {@code lstat} the request makes anyway instead of an open, a size check, a read and a close (and the
 * JDK's channel objects around them): a third of the time a 1 KiB file took.
 *
 * <p>An entry is served only while the file's attributes, read without following a link for each request,
 * still show the file it was read from: the same file key (device and inode), size and modification time.
 * A file replaced (by a rename, the way editors, {@code rsync} and deployments write) has another file
 * key; one written in place has another modification time, with one exception that the age rule closes:
 * a write within the same tick of the file system's clock as the read (Linux stamps files from a clock
 * that moves every few milliseconds; FAT every two seconds). So a file is cached only once its
 * modification time is {@link #SETTLED_MILLIS} old when it is read: a later write then stamps a time that
 * differs from the one cached. What no stat can show is a write that sets the modification time back to
 * what it was with the size unchanged ({@code touch -d} after an in-place edit); such a file is served as
 * it was until it changes again, is evicted, or the handler is rebuilt. Nor can it show a change of
 * permissions alone, which leaves the modification time as it was: a file made unreadable is still served
 * from the cache, as nginx's {@code open_file_cache} serves it from the descriptor it keeps.
 *
 * <p>Bounded by bytes: when an entry would not fit, the cache is emptied first, which costs one read per
 * file still requested. Only files whose path the caller found free of symbolic links are cached, read
 * with {@code O_NOFOLLOW}. Thread-safe; the arrays are shared by every answer that serves them, which
 * {@code MessageBody} allows because its chunks are read, never changed.
 */
final class SmallFileCache {
    /** How old a file's modification time must be when it is read for its contents to be kept. */
    static final long SETTLED_MILLIS = 2_000;

    private static final Set<OpenOption> READ_NO_FOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private record Entry(Object fileKey, long size, FileTime modified, byte[] content) {
        boolean matches(BasicFileAttributes now) {
            return size == now.size() && fileKey.equals(now.fileKey()) && modified.equals(now.lastModifiedTime());
        }
    }

    private final long maxBytes;
    private final long maxFileSize;
    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * A cache of at most {@code maxBytes} of contents, of files of at most {@code maxFileSize} bytes each;
     * either 0 turns it off.
     */
    SmallFileCache(long maxBytes, long maxFileSize) {
        this.maxBytes = maxBytes;
        this.maxFileSize = Math.min(maxFileSize, maxBytes);
    }

    /**
     * Returns the contents of {@code file}, whose attributes the caller just read without following a link
     * (and found it a regular file on a path free of links): from the cache when they still match, else
     * read now and kept when the file is settled and small enough. Null when the file is not to be cached
     * (too large, too recent, no file key) or could not be read as described: the caller then serves it
     * the usual way, which answers the errors.
     */
    byte[] contents(Path file, BasicFileAttributes linkFree) {
        long size = linkFree.size();
        if (size > maxFileSize || size == 0 || !linkFree.isRegularFile()) {
            // too large also when the cache is off (limit 0); an empty file has nothing to keep; opening a
            // FIFO would wait for a writer
            return null;
        }
        Entry entry = entries.get(file);
        if (entry != null && entry.matches(linkFree)) {
            return entry.content;
        }
        Object key = linkFree.fileKey();
        if (key == null || System.currentTimeMillis() - linkFree.lastModifiedTime().toMillis() < SETTLED_MILLIS) {
            return null;
        }
        byte[] content = read(file, (int) size);
        if (content == null) {
            return null;
        }
        Entry fresh = new Entry(key, size, linkFree.lastModifiedTime(), content);
        Entry old = entries.put(file, fresh);
        long total = bytes.addAndGet(size - (old == null ? 0 : old.size));
        if (total > maxBytes) {
            // emptied rather than ordered by use: a served tree's hot files come back at one read each
            entries.clear();
            bytes.set(0);
        }
        return content;
    }

    /** Returns exactly {@code size} bytes of {@code file}, or null when it cannot be opened or is no longer that long. */
    private static byte[] read(Path file, int size) {
        try (FileChannel channel = FileChannel.open(file, READ_NO_FOLLOW)) {
            ByteBuffer buffer = ByteBuffer.allocate(size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    return null;
                }
            }
            // a longer file was written since the stat: what was read is not the version described
            return channel.size() == size ? buffer.array() : null;
        } catch (IOException e) {
            // the usual way answers it: 403, 404 or 500, with the log line it deserves
            return null;
        }
    }

    /** Returns how many bytes of contents are held (for tests). */
    long heldBytes() {
        return bytes.get();
    }

    /** Returns how many files are held (for tests). */
    int size() {
        return entries.size();
    }
}
