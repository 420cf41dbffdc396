package dev.ladle.examples.guide.forms;

import dev.ladle.http.Forms;
import dev.ladle.http.Multipart;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.route.Router;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Multipart uploads streamed to disk, never held in memory: one file with fields, and several files. */
public final class PhotoUploads {
    /**
     * The largest upload accepted, in bytes: the whole request body as its Content-Length declares it, and
     * the photo itself when it comes without one (chunked).
     */
    public static final long MAX_UPLOAD = 20 * 1024 * 1024;

    private PhotoUploads() {
    }

    /** Starts the server on a free loopback port, storing photos in {@code photos}. */
    public static Server start(Path photos) throws IOException {
        Server server = new Server();
        // tag::upload[]
        Router router = new Router()
                .postStreaming("/photos", msg -> { // the body is left to the route: any size, never in memory
                    limitUpload(msg);
                    try (Forms.MultipartForm form = Forms.decodeMultipart(msg, "photo", photos, 4096, MAX_UPLOAD)) {
                        Forms.UploadedFile photo = form.file(); // on disk, in a temporary file
                        if (photo == null || photo.size() == 0) {
                            throw new StatusException(Status.UNPROCESSABLE_CONTENT, "choose a file for \"photo\"");
                        }
                        String id = UUID.randomUUID().toString(); // never a path made of the client's file name
                        Files.move(photo.path(), photos.resolve(id)); // same directory: a rename, no copy
                        msg.setRedirect(Status.CREATED, "/photos/" + id); // 201 with a Location
                        msg.setResponseValue(photo.filename() + " (" + photo.size() + " bytes): "
                                + form.fields().getOrDefault("caption", "") + "\n");
                    }
                });
        // end::upload[]
        // tag::parts[]
        router.postStreaming("/albums", msg -> {
            if (msg.getRequestHeaders().getContentLength() < 0) { // the loop counts nothing: a declared length bounds it
                throw new StatusException(Status.LENGTH_REQUIRED, "say how large the upload is (Content-Length)");
            }
            limitUpload(msg);
            String boundary = Multipart.boundaryOf(msg.getRequestHeaders());
            Multipart.Parser parts = Multipart.parser(msg.getRequestBodyStream(), boundary);
            List<String> ids = new ArrayList<>();
            for (Multipart.StreamingPart part = parts.next(); part != null; part = parts.next()) {
                if (!"photos".equals(part.name()) || part.filename() == null) {
                    continue; // next() skips what was not read
                }
                String id = UUID.randomUUID().toString();
                Path target = photos.resolve(id);
                try {
                    Files.copy(part.content(), target); // reads up to the next boundary, a buffer at a time
                } catch (IOException e) {
                    Files.deleteIfExists(target); // the body broke off inside this file
                    throw e;
                }
                ids.add(id);
            }
            msg.setResponseValue(Status.CREATED, String.join("\n", ids) + "\n");
        });
        router.exception(Multipart.FormatException.class, Status.BAD_REQUEST)   // the parser's: a malformed body
                .exception(IllegalArgumentException.class, Status.BAD_REQUEST); // boundaryOf's: not multipart, no boundary
        // end::parts[]
        server.addHandler("/", router);
        server.listenLocal(0, Set.of());
        return server;
    }

    // tag::limit[]
    /** Refuses an upload declared too large, before its body is read: the client may not even send it. */
    static void limitUpload(ServerMessage msg) {
        long length = msg.getRequestHeaders().getContentLength(); // -1 when not declared (chunked)
        if (length > MAX_UPLOAD) {
            throw new StatusException(Status.CONTENT_TOO_LARGE, "uploads are limited to 20 MiB");
        }
    }
    // end::limit[]
}
