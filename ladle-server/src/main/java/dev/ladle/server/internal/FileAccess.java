package dev.ladle.server.internal;

import dev.ladle.server.ServerMessage;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What {@code dev.ladle.files} needs of a file answer beyond the public API: answering with a file whose
 * attributes it already read, so the file is stat'ed once per request, not again, and opened without
 * following a symbolic link. This package is not exported, so applications cannot reach it.
 */
public final class FileAccess {
    private FileAccess() {
    }

    /**
     * Answers {@code msg} with {@code file} as {@link ServerMessage#setResponseFile(Path, String)} does,
     * taking {@code linkFree} as its attributes: read without following a link, of a path the caller made
     * sure is no symbolic link and lies where it may be served. The file is opened without following a
     * link, so one swapped in since is refused (403). A message that is not the server's own (a test's
     * fake) gets the public method. With {@code content} (null for none), the file's bytes as a cache read
     * them for these attributes, the file is not opened: the array is the body, shared with other answers
     * and never changed.
     */
    public static void respond(ServerMessage msg, Path file, String contentType, BasicFileAttributes linkFree,
            byte[] content) {
        if (msg instanceof Exchange ex) {
            FileResponder.respond(ex, file, contentType, linkFree, content);
        } else {
            msg.setResponseFile(file, contentType);
        }
    }

    /**
     * Answers {@code msg} with {@code status} and the one-line text body ({@code 404 Not Found}) that
     * {@link ServerMessage#setResponseFile} answers its own refusals with.
     */
    public static void plain(ServerMessage msg, int status) {
        FileResponder.plain(msg, status);
    }
}
