package dev.ladle.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory served to clients ({@link StaticFiles}), and the one place that turns a request path into
 * a file under it.
 *
 * <p>Two checks keep every request inside the root. The lexical one refuses any {@code ..} segment and
 * NUL byte in the (already percent-decoded) path, so encoded dots and slashes are refused like plain
 * ones. The physical one resolves symbolic links and refuses a file whose real location is outside the
 * root's real location. Immutable and thread-safe.
 */
public final class RootDirectory {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path realRoot;
    /** The number of names of {@link #realRoot}. */
    private final int rootNames;
    private final LinkFreeDirectories linkFree = new LinkFreeDirectories();

    /**
     * Opens {@code root}, which must be an existing, readable directory. Its real path is taken now: a
     * symbolic link to the root is followed once, here, and later requests stay under where it led.
     *
     * @throws IllegalArgumentException when it does not exist, is not a directory or cannot be read
     * @throws NullPointerException when {@code root} is null
     */
    public RootDirectory(Path root) {
        try {
            this.realRoot = root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("root directory not found: " + root);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the root directory " + root + ": " + e.getMessage());
        }
        this.rootNames = realRoot.getNameCount();
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("root is not a directory: " + root);
        }
        if (!Files.isReadable(realRoot)) {
            throw new IllegalArgumentException("root directory is not readable: " + root);
        }
    }

    /** Returns the real (symbolic-link free, absolute) path of the root. */
    public Path path() {
        return realRoot;
    }

    /**
     * Maps a decoded request path to a path under the root, without touching the file system. The
     * result may still lead out through a symbolic link: check it with {@link #contains} before use.
     *
     * @return the path, or null when the request path must be refused (a {@code ..} segment, a NUL
     *     byte, a backslash, or anything that would not stay under the root)
     */
    public Path resolve(String requestPath) {
        if (requestPath == null || !requestPath.startsWith("/") || requestPath.indexOf('\0') >= 0
                || requestPath.indexOf('\\') >= 0) {
            // a backslash is a separator on Windows; refusing it keeps the check the same everywhere
            return null;
        }
        if (isPlain(requestPath)) {
            // the common case: one parse of the whole path instead of one per name and a normalization
            return requestPath.length() == 1 ? realRoot : realRoot.resolve(requestPath.substring(1));
        }
        Path result = realRoot;
        for (String segment : requestPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                return null;
            }
            result = result.resolve(segment);
        }
        Path normal = result.normalize();
        return normal.startsWith(realRoot) ? normal : null;
    }

    /**
     * Returns true when {@code path} (from {@link #resolve}) really lies under the root once symbolic
     * links are followed. For a path that does not exist yet (an upload), its nearest existing ancestor
     * is checked, and a dangling symbolic link is refused because writing through it could land anywhere.
     */
    public boolean contains(Path path) {
        if (noLinkBelowRoot(path)) {
            return true;
        }
        Path probe = path;
        while (probe != null) {
            try {
                return probe.toRealPath().startsWith(realRoot);
            } catch (NoSuchFileException e) {
                if (Files.isSymbolicLink(probe)) {
                    return false;
                }
                probe = probe.getParent();
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Returns true when every segment after the leading slash of {@code requestPath} is a name other
     * than {@code .} and {@code ..} (a trailing slash allowed): then resolving it whole gives what
     * resolving it name by name and normalizing would.
     */
    private static boolean isPlain(String requestPath) {
        int n = requestPath.length();
        int start = 1;
        while (start < n) {
            int end = requestPath.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int length = end - start;
            if (length == 0 || requestPath.charAt(start) == '.'
                    && (length == 1 || length == 2 && requestPath.charAt(start + 1) == '.')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * Returns the attributes of {@code path} (from {@link #resolve}, or a plain name resolved against
     * such a path), read without following a link, when it exists, is not itself a symbolic link, and its
     * directory lies under the root with no symbolic link on the way; else null, and the caller turns to
     * {@link #contains} and follows links. The directory is walked name by name the first time and then
     * remembered; see {@link LinkFreeDirectories} for why one {@code lstat} of it is enough later. The
     * caller must open the file without following a link, or a link swapped in since would be followed.
     */
    BasicFileAttributes linkFreeAttributes(Path path) {
        int below = path.getNameCount() - rootNames;
        if (below < 1 || !path.startsWith(realRoot)) {
            return null;
        }
        // a file right under the root (the usual case) needs no directory checked, nor its path made
        if (below > 1 && !linkFreeDirectory(path.getParent())) {
            return null;
        }
        BasicFileAttributes attributes = lstat(path);
        return attributes == null || attributes.isSymbolicLink() ? null : attributes;
    }

    /**
     * Returns true when {@code directory} (below the root) is one, reached with no symbolic link below the
     * root. The root itself is not asked about: its real path was taken when this was made.
     */
    private boolean linkFreeDirectory(Path directory) {
        BasicFileAttributes now = lstat(directory);
        if (now == null) {
            return false;
        }
        if (linkFree.stillLinkFree(directory, now)) {
            return true;
        }
        BasicFileAttributes walked = linkFreeWalk(directory);
        if (walked == null || !walked.isDirectory()) {
            return false;
        }
        linkFree.remember(directory, walked);
        return true;
    }

    /** Returns the attributes of {@code path}, not following a link, or null when they cannot be read. */
    private static BasicFileAttributes lstat(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
        } catch (IOException e) {
            return null;
        }
    }

    /** Returns the number of directories remembered as free of links (for tests). */
    int linkFreeDirectoriesRemembered() {
        return linkFree.size();
    }

    /**
     * Returns true when every name of {@code path} below the root exists and none is a symbolic link:
     * then the path lies under the root as it is written ({@link #resolve} made sure of that), which one
     * {@code lstat} per name proves, where resolving the real path costs a {@code readlink} for every
     * name of the whole path. False when a name is missing or a link, or cannot be read: the caller
     * then resolves the real path.
     */
    private boolean noLinkBelowRoot(Path path) {
        return linkFreeWalk(path) != null;
    }

    /**
     * Walks {@code path} below the root name by name as {@link #noLinkBelowRoot} describes; returns the
     * attributes of its last name, read without following a link, or null when a name is missing, a link
     * or cannot be read.
     */
    private BasicFileAttributes linkFreeWalk(Path path) {
        if (!path.startsWith(realRoot)) {
            return null;
        }
        Path probe = realRoot;
        BasicFileAttributes attributes = null;
        for (Path name : realRoot.relativize(path)) {
            probe = probe.resolve(name);
            attributes = lstat(probe);
            if (attributes == null || attributes.isSymbolicLink()) {
                return null;
            }
        }
        return attributes;
    }
}
