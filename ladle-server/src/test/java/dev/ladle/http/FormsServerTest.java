package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forms end to end: a real {@link Server} on an ephemeral port, curl and the JDK HttpClient as clients. */
class FormsServerTest {
    /** The file limit of the /upload handlers. */
    private static final long MAX_FILE_SIZE = 24 << 20;
    @TempDir
    Path uploads;
    @TempDir
    Path clientFiles;

    private Server server;
    private URI base;
    private final HttpClient client = HttpClient.newHttpClient();
    /** Counted down by each handler's Finished listener, registered after decodeMultipart's own. */
    private final CountDownLatch finished = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setLimits(new Limits().setMaxRequestBodySize(1024 * 1024));
        server.addHandler("/echo-form", (srv, msg, path, query) -> {
            Map<String, String> form = Forms.decode(new String(msg.getRequestBody().flatten(), StandardCharsets.UTF_8));
            text(msg, 200, new TreeMap<>(form).toString());
        });
        server.addHandler("/echo-query", (srv, msg, path, query) -> text(msg, 200, String.valueOf(query)));
        server.addHandler("/upload", (srv, msg, path, query) -> describeUpload(msg));
        server.addEarlyHandler("/upload-stream", (srv, msg, path, query) -> describeUpload(msg));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void describeUpload(ServerMessage msg) throws Exception {
        // what the client sent wrong leaves as a StatusException, which the server answers by itself
        Forms.MultipartForm form = Forms.decodeMultipart(msg, "file", uploads, Forms.DEFAULT_MAX_TEXT_SIZE, MAX_FILE_SIZE);
        msg.onFinished(finished::countDown);
        StringBuilder sb = new StringBuilder(new TreeMap<>(form.fields()).toString());
        Forms.UploadedFile file = form.file();
        if (file != null) {
            sb.append(" file=").append(file.filename()).append(' ').append(file.contentType()).append(' ').append(file.size())
                    .append(' ').append(sha256(Files.newInputStream(file.path())));
        }
        text(msg, 200, sb.toString());
    }

    private static void text(ServerMessage msg, int status, String body) {
        msg.setResponse("text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        msg.setStatus(status);
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[64 * 1024];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path path = clientFiles.resolve(name);
        Files.write(path, data);
        return path;
    }

    private long uploadsLeft() throws IOException {
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    /** Runs curl with {@code args} against {@code path}; returns the status code line and the body. */
    private List<String> curl(String path, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
        Collections.addAll(command, args);
        command.add(base.resolve(path).toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "curl is not installed");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int cut = output.lastIndexOf('\n');
        return List.of(output.substring(cut + 1), output.substring(0, cut));
    }

    // ---- application/x-www-form-urlencoded ------------------------------------------------------

    @Test
    void urlEncodedPostFromHttpClientIsDecoded() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/echo-form"))
                .header("Content-Type", Forms.MIME_TYPE_URLENCODED)
                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(Map.of("name", "J\u00fcrgen M", "sum", "1+1=2"))))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{name=J\u00fcrgen M, sum=1+1=2}");
    }

    @Test
    void urlEncodedPostFromCurlIsDecoded() throws Exception {
        List<String> result = curl("/echo-form", "--data-urlencode", "q=a b&c", "--data-urlencode", "emoji=\u00e9\ud83d\ude00", "-d", "x=1&x=2");
        assertThat(result).containsExactly("200", "{emoji=\u00e9\ud83d\ude00, q=a b&c, x=2}");
    }

    @Test
    void handlerQueryIsTheDecodedFormWithLastValueWinning() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/echo-query?x=1&y&z=a+b%21&x=2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("{x=2, z=a b!}");
    }

    @Test
    void badEscapeInTheQueryIsAnswered400() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /echo-query?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 400");
        }
    }

    // ---- multipart/form-data --------------------------------------------------------------------

    @Test
    void curlMultipartUploadIsDecodedInANormalHandler() throws Exception {
        Path file = randomFile("photo.bin", 200_000);
        List<String> result = curl("/upload", "-F", "title=Hello world", "-F", "note=\u00e9t\u00e9",
                "-F", "file=@" + file + ";type=application/x-test;filename=r\u00e9sum\u00e9.bin");
        assertThat(result).containsExactly("200", "{note=\u00e9t\u00e9, title=Hello world} file=r\u00e9sum\u00e9.bin application/x-test 200000 "
                + sha256(Files.newInputStream(file)));
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(uploadsLeft()).as("temporary file deleted when the exchange finished").isZero();
    }

    @Test
    void curlUploadLargerThanTheBodyLimitIsStreamedByAnEarlyHandler() throws Exception {
        Path file = randomFile("big.bin", 24 * 1024 * 1024);
        List<String> result = curl("/upload-stream", "-F", "title=big", "-F", "file=@" + file);
        assertThat(result).containsExactly("200", "{title=big} file=big.bin application/octet-stream " + (24 * 1024 * 1024) + " "
                + sha256(Files.newInputStream(file)));
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(uploadsLeft()).isZero();
    }

    @Test
    void sameUploadToANormalHandlerIsRefusedByTheBodyLimit() throws Exception {
        Path file = randomFile("big.bin", 2 * 1024 * 1024);
        assertThat(curl("/upload", "-F", "file=@" + file).get(0)).isEqualTo("413");
    }

    @Test
    void jdkClientMultipartBodyBuiltWithMultipartIsDecoded() throws Exception {
        byte[] data = "line\r\n--not a boundary\r\n".getBytes(StandardCharsets.UTF_8);
        Multipart multipart = new Multipart(Forms.MIME_TYPE_MULTIPART);
        multipart.appendFormString("a", "1");
        multipart.appendFormFile("file", "data.txt", "text/plain", data);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", multipart.getContentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray()))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("{a=1} file=data.txt text/plain " + data.length + " " + sha256(new ByteArrayInputStream(data)));
    }

    @Test
    void chunkedJdkClientUploadIsStreamedByAnEarlyHandler() throws Exception {
        String boundary = "jdk-client-boundary";
        int size = 16 * 1024 * 1024;
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        // ofInputStream has no length, so the JDK client sends the body chunked.
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload-stream"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
                        ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.bin\"\r\n\r\n"),
                        new ByteArrayInputStream(content),
                        ascii("\r\n--" + boundary + "--\r\n"))))))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{} file=s.bin null " + size + " " + sha256(new ByteArrayInputStream(content)));
    }

    private static InputStream ascii(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void malformedMultipartBodyIsAnswered400WithTheReasonWhenTheHandlerLetsItGo() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter"))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("multipart body ended inside part 1 (no closing boundary)\n");
    }

    @Test
    void emptyMultipartBodyInANormalHandlerIsAFormatExceptionNotAnInternalError() throws Exception {
        // found by fuzzing: with no body bytes the normal handler was taken for an early one, and
        // decodeMultipart failed with IllegalStateException (a 500) asking for the body stream
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("no multipart boundary found in the body\n");
    }

    @Test
    void requestThatIsNotMultipartIsAnswered415() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", Forms.MIME_TYPE_URLENCODED)
                .POST(HttpRequest.BodyPublishers.ofString("a=1"))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).isEqualTo("expected multipart/form-data, not application/x-www-form-urlencoded\n");
    }

    @Test
    void streamedFileOverTheLimitIsAnswered413AndNothingIsLeftOnDisk() throws Exception {
        Path big = randomFile("big.bin", (int) MAX_FILE_SIZE + 1);
        List<String> answer = curl("/upload-stream", "-F", "file=@" + big);
        assertThat(answer).containsExactly("413", "the file \"file\" is larger than " + MAX_FILE_SIZE + " bytes\n");
        assertThat(uploadsLeft()).isZero();
    }

    @Test
    void textFieldsOverTheLimitAreAnswered413() throws Exception {
        Path note = clientFiles.resolve("note.txt");
        Files.writeString(note, "x".repeat((int) Forms.DEFAULT_MAX_TEXT_SIZE + 1));
        List<String> answer = curl("/upload-stream", "-F", "note=<" + note);
        assertThat(answer).containsExactly("413", "form text fields exceed " + Forms.DEFAULT_MAX_TEXT_SIZE
                + " bytes (at field \"note\")\n");
    }

    @Test
    void multipartWithoutBoundaryIsRejected() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: 3\r\n\r\nabc")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 400");
        }
    }
}
