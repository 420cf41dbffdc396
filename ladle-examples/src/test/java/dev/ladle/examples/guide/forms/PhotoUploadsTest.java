package dev.ladle.examples.guide.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.GuideHttp;
import dev.ladle.examples.guide.handlers.RawHttp;
import dev.ladle.http.Forms;
import dev.ladle.http.Multipart;
import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads decoded to disk by decodeMultipart and by the streaming parser: sizes, limits, bad bodies, cleanup. */
class PhotoUploadsTest {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path photos;
    @TempDir
    Path clientFiles;

    private Server server;
    private URI base;
    private GuideHttp http;

    @BeforeEach
    void start() throws Exception {
        server = PhotoUploads.start(photos);
        // far below the uploads: a streaming route is not held to it
        server.setLimits(new Limits().setMaxRequestBodySize(1024 * 1024));
        base = server.getUris().get(0);
        http = new GuideHttp(base);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private Path clientFile(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(clientFiles.resolve(name), data);
    }

    private List<Path> stored() throws Exception {
        try (Stream<Path> files = Files.list(photos)) {
            return files.sorted().toList();
        }
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.post(path, contentType, body);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPhotoLargerThanTheBodyLimitIsStoredUnderANewNameWithItsCaption() throws Exception {
        Path file = clientFile("beach.jpg", 15 * 1024 * 1024);
        Curl.Result r = Curl.run(base.resolve("/photos"), "-F", "caption=Sunset at the beach", "-F", "photo=@" + file + ";type=image/jpeg");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("beach.jpg (15728640 bytes): Sunset at the beach\n");
        assertThat(r.location()).matches(base.resolve("/photos/").toString() + UUID);
        String id = r.location().substring(r.location().lastIndexOf('/') + 1);
        assertThat(stored()).as("the photo alone: no temporary file left").containsExactly(photos.resolve(id));
        assertThat(Files.mismatch(file, photos.resolve(id))).isEqualTo(-1);
        if (photos.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(photos.resolve(id))))
                    .as("created owner-only, kept by the rename").isEqualTo("rw-------");
        }
    }

    @Test
    void aJdkClientUploadBuiltWithMultipartIsStored() throws Exception {
        byte[] jpeg = new byte[1000];
        HttpClient client = http.client();
        // tag::client[]
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART); // a random boundary
        form.appendFormString("caption", "Sunset");
        form.appendFormFile("photo", "beach.jpg", "image/jpeg", jpeg);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/photos"))
                .header("Content-Type", form.getContentType()) // multipart/form-data; boundary=...
                .POST(BodyPublishers.ofByteArray(form.toByteArray()))
                .build(), BodyHandlers.ofString());
        // end::client[]
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("beach.jpg (1000 bytes): Sunset\n");
    }

    @Test
    void aRepeatedFileFieldKeepsTheLastPartAndAPartWithoutANameIsSkipped() throws Exception {
        byte[] body = ascii("--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"1.jpg\"\r\n\r\nfirst\r\n"
                + "--b\r\nContent-Disposition: form-data\r\n\r\n" + "x".repeat(5000) + "\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"2.jpg\"\r\n\r\nsecond\r\n--b--\r\n");
        HttpResponse<String> r = post("/photos", "multipart/form-data; boundary=b", body);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("2.jpg (6 bytes): \n");
        assertThat(stored()).hasSize(1);
        assertThat(Files.readString(stored().get(0))).isEqualTo("second");
    }

    @Test
    void theTemporaryFileIsDeletedWhenTheHandlerDoesNotMoveIt() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        form.appendFormFile("photo", "empty.jpg", "image/jpeg", new byte[0]);
        HttpResponse<String> r = post("/photos", form.getContentType(), form.toByteArray());
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("choose a file for \"photo\"\n");
        assertThat(stored()).isEmpty();
    }

    @Test
    void aFormWithoutThePhotoFieldIs422() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        form.appendFormString("caption", "no photo");
        assertThat(post("/photos", form.getContentType(), form.toByteArray()).statusCode()).isEqualTo(422);
    }

    @Test
    void aBrowserFormSubmittedWithoutAChosenFileSendsAnEmptyPartAndGets422() throws Exception {
        byte[] body = ascii("--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n");
        assertThat(post("/photos", "multipart/form-data; boundary=b", body).statusCode()).isEqualTo(422);
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /photos HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + (PhotoUploads.MAX_UPLOAD + 1) + "\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).as("the final answer, no 100 Continue before it").isEqualTo(413);
            assertThat(r.text()).isEqualTo("uploads are limited to 20 MiB\n");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aChunkedPhotoIsAcceptedAsTheJdkClientSendsAStream() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        form.appendFormString("caption", "streamed");
        form.appendFormFile("photo", "beach.jpg", "image/jpeg", new byte[100_000]);
        byte[] body = form.toByteArray();
        BlockingQueue<Long> declared = new LinkedBlockingQueue<>();
        server.onRequestFinished(msg -> declared.add(msg.getRequestHeaders().getContentLength()));
        HttpResponse<String> r = http.client().send(HttpRequest.newBuilder(base.resolve("/photos"))
                .header("Content-Type", form.getContentType())
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))) // chunked: no Content-Length
                .build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("beach.jpg (100000 bytes): streamed\n");
        assertThat(declared.poll(10, TimeUnit.SECONDS)).as("the length the request declared").isEqualTo(-1);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void aChunkedPhotoOverTheFileLimitIs413AndLeavesNoFile() throws Exception {
        Path file = clientFile("huge.jpg", (int) PhotoUploads.MAX_UPLOAD + 1);
        Curl.Result r = Curl.run(base.resolve("/photos"), "-H", "Transfer-Encoding: chunked", "-F", "photo=@" + file);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("the file \"photo\" is larger than " + PhotoUploads.MAX_UPLOAD + " bytes\n");
        assertThat(stored()).as("the partial file is deleted").isEmpty();
    }

    @Test
    void aChunkedUploadToTheAlbumsIs411() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /albums HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(411);
            assertThat(r.text()).isEqualTo("say how large the upload is (Content-Length)\n");
        }
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIs400AndLeavesNoFile() throws Exception {
        byte[] body = ascii("--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\nhalf a photo");
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send(ascii("POST /photos HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n")).send(body).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).isEqualTo("multipart body ended inside part 1 (no closing boundary)\n");
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        }
        assertThat(stored()).isEmpty();
    }

    @Test
    void textFieldsOverTheirLimitAre413() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        form.appendFormString("caption", "x".repeat(4097));
        HttpResponse<String> r = post("/photos", form.getContentType(), form.toByteArray());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("form text fields exceed 4096 bytes (at field \"caption\")\n");
    }

    @Test
    void aFileInAnotherFieldIsReadAsTextAndCountsAgainstTheTextLimit() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        form.appendFormFile("photo", "a.jpg", "image/jpeg", new byte[10]);
        form.appendFormFile("thumbnail", "t.jpg", "image/jpeg", new byte[5000]);
        HttpResponse<String> r = post("/photos", form.getContentType(), form.toByteArray());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("form text fields exceed 4096 bytes (at field \"thumbnail\")\n");
        assertThat(stored()).as("the photo saved so far is deleted too").isEmpty();
    }

    @Test
    void moreThanAThousandPartsAre400() throws Exception {
        Multipart form = new Multipart(Forms.MIME_TYPE_MULTIPART);
        for (int i = 0; i <= Multipart.DEFAULT_MAX_PARTS; i++) {
            form.appendFormString("f" + i, "");
        }
        HttpResponse<String> r = post("/photos", form.getContentType(), form.toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("multipart body has more than 1000 parts\n");
    }

    @Test
    void aPartHeaderOver16KiBIs400() throws Exception {
        byte[] body = ascii("--b\r\nContent-Disposition: form-data; name=\"caption\"\r\nX-Pad: " + "p".repeat(16 * 1024)
                + "\r\n\r\nhi\r\n--b--\r\n");
        HttpResponse<String> r = post("/photos", "multipart/form-data; boundary=b", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("headers of part 1 exceed 16384 bytes\n");
    }

    @Test
    void aBodyThatIsNotMultipartIs415() throws Exception {
        HttpResponse<String> r = post("/photos", Forms.MIME_TYPE_URLENCODED, ascii("caption=x"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).isEqualTo("expected multipart/form-data, not application/x-www-form-urlencoded\n");
    }

    @Test
    void aMultipartTypeWithoutABoundaryIs400() throws Exception {
        HttpResponse<String> r = post("/photos", "multipart/form-data", ascii("x"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("Content-Type multipart/form-data has no boundary parameter\n");
    }

    @Test
    void theParsersExceptionsAreAnswered400ByTheRoutersMappings() throws Exception {
        HttpResponse<String> noBoundary = post("/albums", "multipart/form-data", ascii("x"));
        assertThat(noBoundary.statusCode()).as("boundaryOf's IllegalArgumentException").isEqualTo(400);
        assertThat(noBoundary.body()).isEqualTo("Content-Type multipart/form-data has no boundary parameter");
        HttpResponse<String> malformed = post("/albums", "multipart/form-data; boundary=b", ascii("--b\r\nno end"));
        assertThat(malformed.statusCode()).as("the parser's FormatException").isEqualTo(400);
        assertThat(malformed.body()).isEqualTo("multipart body ended inside the headers of part 1");
    }

    @Test
    void aHandlerWithoutAnyMappingGetsTheSame400FromDecodeMultipart() throws Exception {
        server.addHandler("/plain", (srv, msg, path, query) -> { // a normal handler, no router: the body is in memory
            try (Forms.MultipartForm form = Forms.decodeMultipart(msg, "photo")) {
                msg.setStatus(200);
            }
        });
        HttpResponse<String> r = post("/plain", "multipart/form-data; boundary=b", ascii("--b\r\nno end"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("multipart body ended inside the headers of part 1\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void severalFilesAreEachStoredAndOtherPartsSkipped() throws Exception {
        Path a = clientFile("a.jpg", 3 * 1024 * 1024);
        Path b = clientFile("b.jpg", 100);
        Curl.Result r = Curl.run(base.resolve("/albums"), "-F", "photos=@" + a, "-F", "title=Holidays", "-F", "photos=@" + b);
        assertThat(r.status()).isEqualTo(201);
        List<String> ids = r.body().lines().toList();
        assertThat(ids).hasSize(2).allMatch(id -> id.matches(UUID));
        assertThat(Files.mismatch(a, photos.resolve(ids.get(0)))).isEqualTo(-1);
        assertThat(Files.mismatch(b, photos.resolve(ids.get(1)))).isEqualTo(-1);
        assertThat(stored()).hasSize(2);
    }

    @Test
    void aBodyThatBreaksOffInTheSecondFileKeepsTheFirstAndDeletesTheSecond() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("--b\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"1.jpg\"\r\n\r\none\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"2.jpg\"\r\n\r\ntw"));
        HttpResponse<String> r = post("/albums", "multipart/form-data; boundary=b", body.toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).as("the router's mapping: the message, no newline").isEqualTo("multipart body ended inside part 2 (no closing boundary)");
        assertThat(stored()).hasSize(1);
        assertThat(Files.readString(stored().get(0))).isEqualTo("one");
    }
}
