package dev.ladle.server.internal;

import dev.ladle.http.MediaTypes;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Preconditions;
import dev.ladle.http.Status;
import dev.ladle.http.Validators;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

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

    private FileResponder() {
    }

    static void respond(Exchange ex, Path file, String contentType) {
        Objects.requireNonNull(file, "file");
        boolean negotiated = ex.getStatus() == 0 || ex.getStatus() == Status.OK;
        BasicFileAttributes attributes = attributes(ex, file);
        if (attributes == null) {
            return;
        }
        if (!attributes.isRegularFile()) {
            // a directory cannot be sent, and opening a FIFO or a device could block forever or never end
            plain(ex, Status.FORBIDDEN);
            return;
        }
        Validators validators = Validators.of(attributes);
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
        } else if (!appendFile(ex, file, negotiated, validators)) {
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
            failed(ex, file, e);
            return null;
        }
    }

    /**
     * Opens the file and appends it to the response body, which closes it when the exchange ends.
     *
     * @return false when a 403, 404, 304, 412 or 500 was answered instead
     */
    private static boolean appendFile(Exchange ex, Path file, boolean negotiated, Validators before) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            failed(ex, file, e);
            return false;
        }
        boolean appended = false;
        try {
            // read again once open: the file may have been replaced since, and the channel reads the new one
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Validators validators = Validators.of(attributes);
            if (negotiated && !validators.equals(before) && answeredByPreconditions(ex, validators)) {
                return false;
            }
            setValidators(ex.getResponseHeaders(), negotiated, validators);
            ex.getResponseBody().appendFile(channel, 0, attributes.size());
            appended = true;
            return true;
        } catch (IOException e) {
            failed(ex, file, e);
            return false;
        } finally {
            if (!appended) {
                closeQuietly(channel);
            }
        }
    }

    /** Answers 304 or 412 when the request's conditions say so; returns true when it did. */
    private static boolean answeredByPreconditions(Exchange ex, Validators validators) {
        switch (Preconditions.evaluate(ex.method, ex.getRequestHeaders(), validators)) {
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

    private static void setValidators(MessageHeaders response, boolean negotiated, Validators validators) {
        if (!negotiated) {
            // another status (an error page kept in a file) is not the file as a resource: no validators
            return;
        }
        response.replace("ETag", validators.etag());
        response.replace("Last-Modified", validators.lastModifiedHeader());
        response.replace("Accept-Ranges", "bytes");
    }

    /**
     * Answers what an I/O failure means to the client: 403 for no access; 404 when the file cannot be
     * found as named (missing, a name too long, a file where a directory should be, a loop of links);
     * 500 when it is there but could not be read (out of descriptors, a disk error).
     */
    private static void failed(Exchange ex, Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
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

    /** Sets {@code status} with a one-line text body naming it ({@code 404 Not Found}). */
    private static void plain(Exchange ex, int status) {
        ex.setStatus(status);
        ex.getResponseHeaders().remove("Content-Length");
        ex.setResponse("text/plain; charset=utf-8",
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
