package dev.ladle.route;

import static dev.ladle.route.Texts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Forms;
import dev.ladle.server.BothProtocols;
import dev.ladle.server.Limits;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import dev.ladle.server.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Routes that stream their request body ({@link Router#postStreaming}): bodies over the in-memory limit,
 * {@code Expect: 100-continue}, multipart, and the 413 a kept body over the limit gets, which names them.
 */
class StreamingRouteTest {
    /** The in-memory body limit of these tests; the uploads are a hundred times larger. */
    private static final int LIMIT = 1000;
    private static final int UPLOAD = 100 * LIMIT;

    /** Answers the size and CRC-32 of the body it reads from the stream. */
    private static void digest(ServerMessage msg) throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = msg.getRequestBodyStream()) {
            for (int n; (n = in.read(buffer)) >= 0; size += n) {
                crc.update(buffer, 0, n);
            }
        }
        ok(msg, size + " " + Long.toHexString(crc.getValue()));
    }

    private static String digestOf(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + " " + Long.toHexString(crc.getValue());
    }

    private static byte[] upload() {
        byte[] body = new byte[UPLOAD];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 8));
        }
        return body;
    }

    private static Router uploads() {
        return new Router()
                .postStreaming("/uploads/{name}", StreamingRouteTest::digest)
                .putStreaming("/files/{path...}", StreamingRouteTest::digest)
                .post("/kept", msg -> ok(msg, "kept " + msg.getRequestBody().length()));
    }

    private static RoutedServer start(Router router) throws IOException {
        return RoutedServer.start(new Limits().setMaxRequestBodySize(LIMIT), router);
    }

    @BothProtocols
    void streamingRouteTakesABodyLargerThanTheInMemoryLimit(Protocol protocol) throws Exception {
        byte[] body = upload();
        try (RoutedServer s = start(uploads()); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/uploads/a.bin").body(body)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(digestOf(body));
            // and the connection goes on
            assertThat(c.send(Request.of("POST", "/kept").body("small")).read().bodyText()).isEqualTo("kept 5");
        }
    }

    @BothProtocols
    void streamingRouteTakesALargeBodyWithoutALength(Protocol protocol) throws Exception {
        byte[] body = upload();
        try (RoutedServer s = start(uploads()); ProtocolClient c = s.connect(protocol)) {
            // chunked on HTTP/1.1, DATA frames without content-length on HTTP/2
            c.sendHead(Request.of("PUT", "/files/a/b.bin"));
            for (int i = 0; i < body.length; i += 7000) {
                c.sendBody(Arrays.copyOfRange(body, i, Math.min(body.length, i + 7000)));
            }
            Response r = c.endBody().read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(digestOf(body));
        }
    }

    @BothProtocols
    void keptBodyOverTheLimitGets413NamingTheStreamingAlternative(Protocol protocol) throws Exception {
        try (RoutedServer s = start(uploads()); ProtocolClient c = s.connect(protocol)) {
            c.sendHead(Request.of("POST", "/kept").header("Content-Length", String.valueOf(UPLOAD)));
            Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            assertThat(r.bodyText())
                    .contains("larger than " + LIMIT + " bytes")
                    .contains("postStreaming")
                    .contains("early handler")
                    .contains("getRequestBodyStream()");
        }
    }

    @BothProtocols
    void keptBodyWithoutALengthGrowingOverTheLimitGets413NamingTheStreamingAlternative(Protocol protocol) throws Exception {
        try (RoutedServer s = start(uploads()); ProtocolClient c = s.connect(protocol)) {
            c.sendHead(Request.of("POST", "/kept"));
            c.sendBody("k".repeat(600)).sendBody("k".repeat(600));
            Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyText()).contains("postStreaming").contains("getRequestBodyStream()");
        }
    }

    @BothProtocols
    void streamingRouteAsksForTheBodyWith100ContinueWhenItReads(Protocol protocol) throws Exception {
        byte[] body = upload();
        try (RoutedServer s = start(uploads()); ProtocolClient c = s.connect(protocol)) {
            Response r = c.sendExpectingContinue(Request.of("POST", "/uploads/b.bin")
                    .header("Content-Length", String.valueOf(body.length)).body(body));
            assertThat(r.informational()).containsExactly(100);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(digestOf(body));
        }
    }

    @BothProtocols
    void streamingRouteThatSetsItsStatusBeforeReadingStillGetsItsBodyAfter100Continue(Protocol protocol) throws Exception {
        Router router = new Router().postStreaming("/up", msg -> {
            msg.setStatus(201);
            long n = msg.getRequestBodyStream().transferTo(java.io.OutputStream.nullOutputStream());
            msg.setResponse("text/plain", String.valueOf(n).getBytes(StandardCharsets.UTF_8));
        });
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.sendExpectingContinue(Request.of("POST", "/up").header("Content-Length", "5000")
                    .body(new byte[5000]));
            assertThat(r.informational()).containsExactly(100);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.bodyText()).isEqualTo("5000");
        }
    }

    @BothProtocols
    void beforeFilterRefusingAStreamingRouteNeverAsksForTheBody(Protocol protocol) throws Exception {
        Router router = uploads().before(msg -> {
            if (msg.getRequestHeaders().getOne("Authorization") == null) {
                msg.setStatus(401);
            }
        });
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            c.sendHead(Request.of("POST", "/uploads/c.bin").header("Content-Length", String.valueOf(UPLOAD))
                    .header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(401);
            assertThat(c.read().informational()).isEmpty();
        }
    }

    @BothProtocols
    void refusedStreamingRouteDoesNotWaitForASmallBodyTheClientHoldsBack(Protocol protocol) throws Exception {
        Router router = uploads().before(msg -> msg.setStatus(403));
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            // small enough to be read away, but the client sends it only after a 100 that never comes
            c.sendHead(Request.of("POST", "/uploads/e.bin").header("Content-Length", "10")
                    .header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(403);
            Response r = c.read();
            if (protocol == Protocol.HTTP_1_1) {
                assertThat(r.hasToken("Connection", "close")).isTrue();
            }
            assertThat(c.endedByServer(10_000)).as("the exchange ended without the body").isTrue();
        }
    }

    @BothProtocols
    void streamingRouteThatLeavesASmallBodyUnreadKeepsTheConnection(Protocol protocol) throws Exception {
        Router router = new Router()
                .postStreaming("/ignore", msg -> ok(msg, "ignored"))
                .get("/next", msg -> ok(msg, "next"));
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/ignore").body("not read")).read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(c.get("/next").bodyText()).isEqualTo("next");
        }
    }

    @BothProtocols
    void streamingRouteUnderAPrefixTakesALargeBody(Protocol protocol) throws Exception {
        byte[] body = upload();
        try (RoutedServer s = RoutedServer.start("/api", uploads()); ProtocolClient c = s.connect(protocol)) {
            s.server.setLimits(new Limits().setMaxRequestBodySize(LIMIT));
            Response r = c.send(Request.of("POST", "/api/uploads/d.bin").body(body)).read();
            assertThat(r.bodyText()).isEqualTo(digestOf(body));
        }
    }

    @BothProtocols
    void streamingRouteDecodesALargeMultipartUploadToAFile(Protocol protocol) throws Exception {
        byte[] file = upload();
        Router router = new Router().postStreaming("/form", msg -> {
            try (Forms.MultipartForm form = Forms.decodeMultipart(msg, "file")) {
                byte[] saved = Files.readAllBytes(form.file().path());
                ok(msg, form.fields().get("title") + " " + form.file().filename() + " " + digestOf(saved));
            }
        });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--B0undary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n"
                + "--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(file);
        body.writeBytes("\r\n--B0undary--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/form")
                    .header("Content-Type", "multipart/form-data; boundary=B0undary").body(body.toByteArray())).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("holiday a.bin " + digestOf(file));
        }
    }

    @BothProtocols
    void streamingRouteGetsAnEmptyStreamForARequestWithoutBody(Protocol protocol) throws Exception {
        Router router = new Router().addStreaming("GET", "/empty", StreamingRouteTest::digest);
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/empty").bodyText()).isEqualTo("0 0");
            assertThat(c.send(Request.of("GET", "/empty").header("Content-Length", "0")).read().bodyText()).isEqualTo("0 0");
        }
    }

    @BothProtocols
    void routeThatDoesNotStreamCannotTakeTheBodyStream(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(IllegalStateException.class, 500)
                .post("/kept", msg -> msg.getRequestBodyStream());
        try (RoutedServer s = start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/kept").body("abc")).read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).contains("only available before the body is read");
        }
    }
}
