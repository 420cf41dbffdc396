package dev.ladle.httpd;

import dev.ladle.files.RootDirectory;
import dev.ladle.http.Preconditions;
import dev.ladle.http.Status;
import dev.ladle.http.Validators;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The early handler of the file tree. It takes PUT requests (with {@code --allow-put}): it streams the
 * body into a temporary file next to the target and then renames it over the target in one atomic
 * step. A client that leaves, a body over {@code --max-body} or a full disk therefore never leaves a
 * half-written file: the temporary file is deleted and the target is untouched.
 *
 * <p>It runs before the server reads the body, so refusals (403, 405, 409, 412, 413) are sent without
 * reading it, and a client that sent {@code Expect: 100-continue} never uploads in vain. That is also
 * why it answers 405 to every method the file tree does not take (a large POST is refused, not read).
 * GET, HEAD, OPTIONS and an allowed DELETE pass through to {@link FileHandler}.
 */
final class UploadHandler implements ServerCallback {
    private static final System.Logger LOG = System.getLogger(UploadHandler.class.getName());
    private static final String TEMP_PREFIX = ".ladle-upload-";
    private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private final RootDirectory root;
    private final long maxBody;
    private final boolean writable;
    private final String allowed;

    /**
     * Creates the handler.
     *
     * @param maxBody the largest body accepted, in bytes ({@code --max-body})
     * @param writable true when PUT and DELETE are allowed ({@code --allow-put})
     * @param allowed the methods the file tree answers, for {@code Allow}
     */
    UploadHandler(RootDirectory root, long maxBody, boolean writable, String allowed) {
        this.root = root;
        this.maxBody = maxBody;
        this.writable = writable;
        this.allowed = allowed;
    }

    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        switch (msg.getMethod()) {
            case "GET", "HEAD", "OPTIONS" -> {
            }
            case "DELETE" -> {
                if (!writable) {
                    Responses.methodNotAllowed(msg, allowed);
                }
            }
            case "PUT" -> {
                if (writable) {
                    put(msg, path);
                } else {
                    Responses.methodNotAllowed(msg, allowed);
                }
            }
            default -> Responses.methodNotAllowed(msg, allowed);
        }
    }

    private void put(ServerMessage msg, String path) {
        Path target = root.resolve(path);
        if (target == null || target.equals(root.path()) || !root.contains(target)) {
            Responses.plain(msg, Status.FORBIDDEN);
            return;
        }
        if (path.endsWith("/") || Files.isDirectory(target)) {
            Responses.plain(msg, Status.CONFLICT);
            return;
        }
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            Responses.plain(msg, Status.CONFLICT);
            return;
        }
        BasicFileAttributes existing = attributesOrNull(target);
        if (Preconditions.evaluate("PUT", msg.getRequestHeaders(), existing == null ? null : Validators.of(existing))
                == Preconditions.Outcome.FAILED) {
            Responses.plain(msg, Status.PRECONDITION_FAILED);
            return;
        }
        if (msg.getRequestHeaders().getContentLength() > maxBody) {
            Responses.plain(msg, Status.CONTENT_TOO_LARGE);
            return;
        }
        store(msg, target, parent, existing != null);
    }

    private void store(ServerMessage msg, Path target, Path parent, boolean replacing) {
        Path temp = null;
        try {
            temp = Files.createTempFile(parent, TEMP_PREFIX, ".part");
            long received;
            try (InputStream in = msg.getRequestBodyStream();
                 FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                received = copyAtMost(in, Channels.newOutputStream(channel), maxBody);
                if (received <= maxBody) {
                    // on disk before the rename, so a crash cannot leave the target renamed but empty
                    channel.force(false);
                }
            }
            if (received > maxBody) {
                // the rest of the body is unread: the server must not look for a next request in it
                msg.getResponseHeaders().replace("Connection", "close");
                Responses.plain(msg, Status.CONTENT_TOO_LARGE);
                return;
            }
            setPermissions(temp, target, replacing);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            BasicFileAttributes stored = attributesOrNull(target);
            if (stored != null) {
                msg.getResponseHeaders().replace("ETag", Validators.of(stored).etag());
            }
            if (replacing) {
                msg.setStatus(Status.NO_CONTENT);
            } else {
                msg.getResponseHeaders().replace("Location", msg.getUri().getRawPath());
                Responses.plain(msg, Status.CREATED);
            }
        } catch (AccessDeniedException e) {
            Responses.plain(msg, Status.FORBIDDEN);
        } catch (IOException | RuntimeException e) {
            // the client left, sent a broken body, or the disk failed: nothing reaches the target
            LOG.log(System.Logger.Level.DEBUG, "upload to {0} failed: {1}", target, e.toString());
            msg.getResponseHeaders().replace("Connection", "close");
            Responses.plain(msg, e instanceof IOException ? Status.BAD_REQUEST : Status.INTERNAL_SERVER_ERROR);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /** Copies until the end of {@code in} or until more than {@code limit} bytes came; returns the count. */
    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > limit) {
                return total;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /**
     * Gives the new file the permissions of the one it replaces, or {@code rw-r--r--}: a temporary file
     * is created private to the owner, which would make every upload unreadable to others.
     */
    private static void setPermissions(Path temp, Path target, boolean replacing) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions = NEW_FILE_PERMISSIONS;
        if (replacing) {
            try {
                permissions = Files.getPosixFilePermissions(target);
            } catch (NoSuchFileException e) {
                // replaced meanwhile by a delete: keep the default
            }
        }
        view.setPermissions(permissions);
    }

    private static BasicFileAttributes attributesOrNull(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the temporary file {0}: {1}", temp, e.toString());
        }
    }
}
