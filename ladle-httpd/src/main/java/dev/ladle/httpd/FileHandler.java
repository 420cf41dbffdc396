package dev.ladle.httpd;

import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Range;
import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * The default handler: serves the files under the root to GET and HEAD, deletes them on DELETE when
 * writing is allowed, and answers OPTIONS. (PUT is taken by {@link UploadHandler} before the body is
 * read.)
 *
 * <p>A directory requested without its trailing slash is redirected to it, so relative links work; a
 * directory is answered with its {@code index.html}, or else a {@link DirectoryListing}. Files carry a
 * strong {@code ETag}, {@code Last-Modified} and {@code Accept-Ranges}; conditional requests are answered
 * by {@link Preconditions} and ranges by {@link FileSender}.
 */
final class FileHandler implements ServerCallback {
    private static final System.Logger LOG = System.getLogger(FileHandler.class.getName());
    private static final String INDEX = "index.html";

    private final RootDirectory root;
    private final boolean writable;
    private final String allowed;

    /**
     * Creates the handler.
     *
     * @param writable true when PUT and DELETE are allowed ({@code --allow-put})
     */
    FileHandler(RootDirectory root, boolean writable) {
        this.root = root;
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
            case "GET" -> get(msg, path, false);
            case "HEAD" -> get(msg, path, true);
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

    private void get(ServerMessage msg, String path, boolean headOnly) {
        Path target = root.resolve(path);
        if (target == null || !root.contains(target)) {
            Responses.plain(msg, Status.FORBIDDEN);
            return;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            Responses.plain(msg, Status.NOT_FOUND);
            return;
        } catch (IOException e) {
            Responses.plain(msg, Status.FORBIDDEN);
            return;
        }
        if (attributes.isDirectory()) {
            directory(msg, path, target, headOnly);
        } else if (attributes.isRegularFile()) {
            file(msg, target, headOnly);
        } else {
            // a FIFO or a device: reading it could block forever or never end
            Responses.plain(msg, Status.FORBIDDEN);
        }
    }

    private void directory(ServerMessage msg, String path, Path directory, boolean headOnly) {
        if (!path.endsWith("/")) {
            // relative to the request ("./name/"), so a path starting with "//" cannot turn into a host
            // name and a name with a colon cannot turn into a scheme
            URI uri = msg.getUri();
            String rawPath = uri.getRawPath();
            String query = uri.getRawQuery();
            msg.setRedirect(Status.MOVED_PERMANENTLY, "./" + rawPath.substring(rawPath.lastIndexOf('/') + 1) + "/"
                    + (query == null ? "" : "?" + query));
            return;
        }
        Path index = directory.resolve(INDEX);
        if (Files.isRegularFile(index) && root.contains(index)) {
            file(msg, index, headOnly);
            return;
        }
        try {
            byte[] page = DirectoryListing.render(path, directory, directory.equals(root.path()));
            msg.setResponse("text/html; charset=utf-8", page);
            msg.setStatus(Status.OK);
        } catch (IOException e) {
            Responses.plain(msg, Status.FORBIDDEN);
        }
    }

    private void file(ServerMessage msg, Path file, boolean headOnly) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            Responses.plain(msg, Status.NOT_FOUND);
            return;
        } catch (AccessDeniedException e) {
            Responses.plain(msg, Status.FORBIDDEN);
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "opening {0} failed: {1}", file, e.toString());
            Responses.plain(msg, Status.INTERNAL_SERVER_ERROR);
            return;
        }
        boolean handedOver = false;
        try {
            handedOver = answer(msg, file, channel, headOnly);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "reading {0} failed: {1}", file, e.toString());
            Responses.plain(msg, Status.INTERNAL_SERVER_ERROR);
        } finally {
            if (!handedOver) {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Answers with the open file: its validators, then a precondition's answer, or the file (or ranges of
     * it) as the response body.
     *
     * @return true when the response body took the channel over (it closes it), false when the caller must
     */
    private static boolean answer(ServerMessage msg, Path file, FileChannel channel, boolean headOnly) throws IOException {
        // attributes read after opening describe what this channel reads, even if the file is replaced
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long size = attributes.size();
        Validators validators = Validators.of(attributes);
        MessageHeaders request = msg.getRequestHeaders();
        MessageHeaders response = msg.getResponseHeaders();
        response.replace("ETag", validators.etag());
        response.replace("Last-Modified", validators.lastModifiedHeader());
        response.replace("Accept-Ranges", "bytes");
        switch (Preconditions.evaluate(msg.getMethod(), request, validators)) {
            case NOT_MODIFIED -> {
                msg.setStatus(Status.NOT_MODIFIED);
                return false;
            }
            case FAILED -> {
                Responses.plain(msg, Status.PRECONDITION_FAILED);
                return false;
            }
            case PROCEED -> {
            }
        }
        List<Range> ranges = headOnly || !Preconditions.rangeApplies(request, validators)
                ? null : request.getRanges(size);
        if (ranges != null && ranges.isEmpty()) {
            response.replace("Content-Range", "bytes */" + size);
            Responses.plain(msg, Status.RANGE_NOT_SATISFIABLE);
            return false;
        }
        String contentType = MediaTypes.forFileName(file.getFileName().toString());
        response.replace("Content-Type", contentType);
        if (ranges == null) {
            FileSender.sendWhole(msg, channel, size);
        } else if (ranges.size() == 1) {
            FileSender.sendRange(msg, channel, size, ranges.get(0));
        } else {
            FileSender.sendRanges(msg, channel, size, ranges, contentType);
        }
        return true;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // opened for reading: nothing is lost
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
