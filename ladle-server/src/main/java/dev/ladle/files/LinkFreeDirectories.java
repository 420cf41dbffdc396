package dev.ladle.files;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directories below a {@link RootDirectory} that a walk found free of symbolic links (one
 * {@code lstat} per name of the path), each with the identity and modification time it had then. A
 * request for a file in such a directory then costs one {@code lstat} of the directory, compared with
 * what was remembered, instead of one per name of its path.
 *
 * <p>Why that is enough, against someone who can write in the served tree. To make the directory's path
 * lead elsewhere they must replace a name on it: the directory itself or one above it, by a link or by
 * another directory. The {@code lstat} of the path then finds another file: a link (refused), or a
 * directory with another file key (device and inode), and the walk runs again. The one way to keep the
 * same file key is to make the path lead to the very directory that was walked, moved elsewhere, which
 * needs write access to it and to where it went: what can be served from it then are its own entries,
 * which the same person could have put in it while it was under the root, and the last name of every
 * request is still checked to be no link. The modification time guards against an inode number reused
 * by a directory made after the walked one was removed; it changes whenever a name in the directory is
 * added, removed or renamed, which only costs a walk. Platforms without file keys are not cached.
 *
 * <p>What no check by path can close is the moment between the check and the open: a directory swapped
 * then is followed (the JDK has no {@code openat} confined to a directory); the last name is opened with
 * {@code O_NOFOLLOW}, so a link swapped in for the file itself is refused. The uncached walk left the
 * same moment.
 *
 * <p>Bounded: when full it is emptied, which costs one walk per directory. Thread-safe.
 */
final class LinkFreeDirectories {
    /** Far more directories than a site's hot set; each entry is a path and two small objects. */
    static final int CAPACITY = 4096;

    private record Seen(Object fileKey, FileTime modified) {
    }

    private final ConcurrentHashMap<Path, Seen> seen = new ConcurrentHashMap<>();

    /**
     * Returns true when {@code directory} was walked and {@code now}, its attributes read without
     * following a link, show the same directory, unchanged.
     */
    boolean stillLinkFree(Path directory, BasicFileAttributes now) {
        Seen s = seen.get(directory);
        return s != null && now.isDirectory() && !now.isSymbolicLink() && s.fileKey.equals(now.fileKey())
                && s.modified.equals(now.lastModifiedTime());
    }

    /** Remembers {@code directory}, which a walk just found free of links, with the attributes the walk read. */
    void remember(Path directory, BasicFileAttributes walked) {
        Object key = walked.fileKey();
        if (key == null || !walked.isDirectory()) {
            return;
        }
        if (seen.size() >= CAPACITY) {
            seen.clear();
        }
        seen.put(directory, new Seen(key, walked.lastModifiedTime()));
    }

    /** Returns how many directories are remembered (for tests). */
    int size() {
        return seen.size();
    }
}
