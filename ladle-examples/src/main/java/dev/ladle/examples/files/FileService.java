package dev.ladle.examples.files;

import dev.ladle.files.StaticFiles;
import dev.ladle.http.Forms;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.route.Router;
import dev.ladle.server.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * File upload and download: a multipart upload streamed to disk, downloads with ranges and conditional
 * requests, and a static site.
 */
public final class FileService {
    private static final long MAX_FILE_SIZE = 1L << 30; // 1 GiB: a larger upload is answered 413, and not kept

    /**
     * Serves {@code POST /upload} (the form's {@code file} part, stored under its plain file name),
     * {@code /files/NAME} from {@code storage} and the rest from {@code site}, on the loopback address
     * at {@code port} (0 picks a free one).
     */
    public static Server start(int port, Path storage, Path site) throws IOException {
        Server server = new Server();
        server.addHandler("/upload", new Router().postStreaming("/", msg -> {
            try (Forms.MultipartForm form = Forms.decodeMultipart(msg, "file", storage, Forms.DEFAULT_MAX_TEXT_SIZE, MAX_FILE_SIZE)) {
                String name = form.file() == null ? null : form.file().filename();
                if (name == null || !name.matches("\\w[\\w.-]*")) {
                    throw new StatusException(Status.BAD_REQUEST, "send a 'file' part with a plain file name");
                }
                Files.move(form.file().path(), storage.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                msg.setRedirect(Status.CREATED, "/files/" + name);
            }
        }));
        server.addHandler("/files", new StaticFiles(storage));
        server.addHandler("/", new StaticFiles(site));
        server.listenLocal(port, Set.of());
        return server;
    }

    /** Runs the service on port 8080, storing uploads in ./uploads and serving ./site, until stopped. */
    public static void main(String[] args) throws IOException {
        Path storage = Files.createDirectories(Path.of("uploads"));
        System.out.println("files at " + start(8080, storage, Files.createDirectories(Path.of("site"))).getUris().get(0));
    }
}
