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
    private final Path realRoot;

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
     * Returns true when every name of {@code path} below the root exists and none is a symbolic link:
     * then the path lies under the root as it is written ({@link #resolve} made sure of that), which one
     * {@code lstat} per name proves, where resolving the real path costs a {@code readlink} for every
     * name of the whole path. False when a name is missing or a link, or cannot be read: the caller
     * then resolves the real path.
     */
    private boolean noLinkBelowRoot(Path path) {
        if (!path.startsWith(realRoot)) {
            return false;
        }
        Path probe = realRoot;
        for (Path name : realRoot.relativize(path)) {
            probe = probe.resolve(name);
            try {
                if (Files.readAttributes(probe, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
