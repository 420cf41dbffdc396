package dev.ladle.httpd;

import dev.ladle.files.RootDirectory;
import dev.ladle.files.StaticFiles;
import dev.ladle.http.Preconditions;
import dev.ladle.http.Status;
import dev.ladle.http.Validators;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * The default handler: serves the files under the root to GET and HEAD with the library's
 * {@link StaticFiles}, deletes them on DELETE when writing is allowed, and answers OPTIONS. (PUT is
 * taken by {@link UploadHandler} before the body is read.)
 *
 * <p>The files are served as a file server on the command line is expected to: a directory without
 * {@code index.html} is listed, and names starting with a dot are served like any other (the library
 * refuses both by default). A file's {@code .gz} sibling is served in its place to clients that take
 * gzip ({@link StaticFiles#setPrecompressed}).
 */
final class FileHandler implements ServerCallback {
    private final RootDirectory root;
    private final StaticFiles files;
    private final boolean writable;
    private final String allowed;

    /**
     * Creates the handler.
     *
     * @param writable true when PUT and DELETE are allowed ({@code --allow-put})
     * @param memoryCache false to read every file for every request ({@code --no-file-cache}); true keeps
     *     small files in memory, the library's default
     */
    FileHandler(RootDirectory root, boolean writable, boolean memoryCache) {
        this.root = root;
        // a.css.gz beside a.css is served to clients that take gzip, as nginx's gzip_static does
        this.files = new StaticFiles(root).setDirectoryListing(true).setHiddenFiles(true).setPrecompressed(true);
        if (!memoryCache) {
            files.setMemoryCache(0, 0);
        }
        this.writable = writable;
        this.allowed = writable ? "GET, HEAD, OPTIONS, PUT, DELETE" : "GET, HEAD, OPTIONS";
    }

    /** Returns the methods the file tree answers, for {@code Allow}. */
    String allowed() {
        return allowed;
    }

    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        switch (msg.getMethod()) {
            case "GET", "HEAD" -> files.handle(server, msg, path, query);
            case "DELETE" -> {
                if (writable) {
                    delete(msg, path);
                } else {
                    Responses.methodNotAllowed(msg, allowed);
                }
            }
            case "OPTIONS" -> {
                msg.getResponseHeaders().replace("Allow", allowed);
                msg.setStatus(Status.NO_CONTENT);
            }
            default -> Responses.methodNotAllowed(msg, allowed);
        }
    }

    private void delete(ServerMessage msg, String path) {
        Path target = root.resolve(path);
        if (target == null || target.equals(root.path()) || !root.contains(target)) {
            Responses.plain(msg, Status.FORBIDDEN);
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class);
            if (Preconditions.evaluate("DELETE", msg.getRequestHeaders(), Validators.of(attributes))
                    == Preconditions.Outcome.FAILED) {
                Responses.plain(msg, Status.PRECONDITION_FAILED);
                return;
            }
            Files.delete(target);
            msg.setStatus(Status.NO_CONTENT);
        } catch (NoSuchFileException e) {
            Responses.plain(msg, Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? Status.FORBIDDEN : Status.NOT_FOUND);
        } catch (DirectoryNotEmptyException e) {
            Responses.plain(msg, Status.CONFLICT);
        } catch (IOException e) {
            Responses.plain(msg, Status.FORBIDDEN);
        }
    }
}
