package dev.ladle.server.internal;

import dev.ladle.http.MediaTypes;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Preconditions;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * Answers a request with a file ({@code ServerMessage.setResponseFile}): validators, the conditional
 * request headers, then the file as a region of the response body, which a plain HTTP/1.1 connection
 * sends with {@code sendfile} and TLS and HTTP/2 read in pieces; the file is never held in memory.
 *
 * <p>{@code Range} and {@code If-Range} are left to {@link RangeResponder}, which runs for every 200
 * answer to a GET and slices the file region without reading it: the {@code ETag} and
 * {@code Last-Modified} set here are what it compares {@code If-Range} with.
 *
 * <p>Only an answer whose status is unset or 200 is negotiated (validators, 304, 412, ranges): a
 * handler that set another status (a 404 page kept in a file) gets the whole file with that status.
 */
final class FileResponder {
    private static final System.Logger LOG = System.getLogger(FileResponder.class.getName());

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
    /** Opening with {@code O_NOFOLLOW}: fails when the last name is a symbolic link. */
    private static final Set<OpenOption> READ_NO_FOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final LinkOption[] FOLLOW = {};
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private FileResponder() {
    }

    static void respond(Exchange ex, Path file, String contentType) {
        respond(ex, file, contentType, null, null);
    }

    /**
     * Answers with {@code file}. With {@code linkFree} (its attributes, read without following a symbolic
     * link, by a caller that made sure the path is no link and lies where it may be served) the file is not
     * stat'ed again and is opened without following a link, so one swapped in for it since is refused
     * with 403; with null, its attributes are read here, following links, as
     * {@code ServerMessage.setResponseFile} promises. With {@code content} (only with {@code linkFree}: the
     * file's bytes as those attributes describe it, which a cache kept) the file is not opened: the bytes
     * are the body, shared, not copied.
     */
    static void respond(Exchange ex, Path file, String contentType, BasicFileAttributes linkFree, byte[] content) {
        Objects.requireNonNull(file, "file");
        boolean negotiated = ex.getStatus() == 0 || ex.getStatus() == Status.OK;
        boolean noFollow = linkFree != null;
        BasicFileAttributes attributes = noFollow ? linkFree : attributes(ex, file);
        if (attributes == null) {
            return;
        }
        if (!attributes.isRegularFile()) {
            // a directory cannot be sent, and opening a FIFO or a device could block forever or never end
            plain(ex, Status.FORBIDDEN);
            return;
        }
        FileValidators validators = FileValidators.of(attributes);
        if (negotiated && answeredByPreconditions(ex, validators)) {
            return;
        }
        MessageHeaders response = ex.getResponseHeaders();
        response.replace("Content-Type", contentType != null ? contentType
                : MediaTypes.forFileName(file.getFileName().toString()));
        response.remove("Content-Length");
        MessageBody body = ex.getResponseBody();
        body.truncate();
        if ("HEAD".equals(ex.method)) {
            // no body goes out, so the file is not opened: its length is declared instead
            if (!Files.isReadable(file)) {
                plain(ex, Status.FORBIDDEN);
                return;
            }
            setValidators(response, negotiated, validators);
            response.replace("Content-Length", Long.toString(attributes.size()));
        } else if (content != null && noFollow) {
            setValidators(response, negotiated, validators);
            body.appendOwned(content);
        } else if (!appendFile(ex, file, noFollow, negotiated, attributes, validators)) {
            return;
        }
        if (ex.getStatus() == 0) {
            ex.setStatus(Status.OK);
        }
    }

    /** Returns the file's attributes, or null after answering 404, 403 or 500 when they cannot be read. */
    private static BasicFileAttributes attributes(Exchange ex, Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            failed(ex, file, false, e);
            return null;
        }
    }

    /**
     * Opens the file and appends it to the response body, which closes it when the exchange ends.
     *
     * @return false when a 403, 404, 304, 412 or 500 was answered instead
     */
    private static boolean appendFile(Exchange ex, Path file, boolean noFollow, boolean negotiated,
            BasicFileAttributes attributes, FileValidators validators) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, noFollow ? READ_NO_FOLLOW : READ);
        } catch (IOException e) {
            failed(ex, file, noFollow, e);
            return false;
        }
        boolean appended = false;
        try {
            // The file may have been replaced between the stat and the open. The JDK gives no fstat of a
            // channel but its size: another length shows a replacement (or a write), and the path is read
            // again. One of the same length within that window goes unnoticed; reading the path again
            // after the open, as this did before, left the same window (the path, not the open file, was read).
            long size = channel.size();
            if (size != attributes.size()) {
                BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class,
                        noFollow ? NO_FOLLOW : FOLLOW);
                FileValidators current = FileValidators.of(now);
                if (negotiated && answeredByPreconditions(ex, current)) {
                    return false;
                }
                validators = current;
                size = Math.min(size, now.size());
            }
            setValidators(ex.getResponseHeaders(), negotiated, validators);
            ex.getResponseBody().appendFile(channel, 0, size);
            appended = true;
            return true;
        } catch (IOException e) {
            failed(ex, file, noFollow, e);
            return false;
        } finally {
            if (!appended) {
                closeQuietly(channel);
            }
        }
    }

    /** Answers 304 or 412 when the request's conditions say so; returns true when it did. */
    private static boolean answeredByPreconditions(Exchange ex, FileValidators validators) {
        if (!ex.hasConditions && ex.requestHeaders == null) {
            // no If-* field came and nobody has touched the headers: parsing them would find nothing to evaluate
            return false;
        }
        switch (Preconditions.evaluate(ex.method, ex.getRequestHeaders(), validators.validators())) {
            case NOT_MODIFIED -> {
                MessageHeaders response = ex.getResponseHeaders();
                // a 304 carries the validators the client compares its copy with, and no body
                setValidators(response, true, validators);
                response.remove("Content-Type");
                response.remove("Content-Length");
                ex.getResponseBody().truncate();
                ex.setStatus(Status.NOT_MODIFIED);
                return true;
            }
            case FAILED -> {
                plain(ex, Status.PRECONDITION_FAILED);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void setValidators(MessageHeaders response, boolean negotiated, FileValidators validators) {
        if (!negotiated) {
            // another status (an error page kept in a file) is not the file as a resource: no validators
            return;
        }
        response.replace("ETag", validators.validators().etag());
        response.replace("Last-Modified", validators.lastModified());
        response.replace("Accept-Ranges", "bytes");
    }

    /**
     * Answers what an I/O failure means to the client: 403 for no access; 404 when the file cannot be
     * found as named (missing, a name too long, a file where a directory should be, a loop of links);
     * 500 when it is there but could not be read (out of descriptors, a disk error). When the file was
     * to be opened without following a link and a link is there now, 403.
     */
    private static void failed(Exchange ex, Path file, boolean noFollow, IOException e) {
        if (e instanceof AccessDeniedException || noFollow && Files.isSymbolicLink(file)) {
            // a link swapped in for a file checked to be none is refused like one that was there before
            plain(ex, Status.FORBIDDEN);
        } else if (e instanceof NoSuchFileException || !Files.exists(file)) {
            // the platform names ENOTDIR, ENAMETOOLONG and ELOOP only in the message: exists() settles them
            plain(ex, Status.NOT_FOUND);
        } else {
            // the client learns nothing of the file system; the log says what went wrong
            LOG.log(System.Logger.Level.WARNING, "reading {0} failed: {1}", file, e.toString());
            plain(ex, Status.INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * Sets {@code status} with a one-line text body naming it ({@code 404 Not Found}): every refusal of a
     * file answer, here or in {@code dev.ladle.files}, so that one refused for its name cannot be told
     * from one that is missing.
     */
    static void plain(ServerMessage msg, int status) {
        msg.setStatus(status);
        msg.getResponseHeaders().remove("Content-Length");
        msg.setResponse("text/plain; charset=utf-8",
                (status + " " + Status.phrase(status) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // opened for reading: nothing is lost
        }
    }
}
