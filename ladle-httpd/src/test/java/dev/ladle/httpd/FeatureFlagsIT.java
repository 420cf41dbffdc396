package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --echo, --max-body and --access-log, each against its own server. */
class FeatureFlagsIT {
    @TempDir
    Path dir;

    @Test
    void echoAnswersPostWithTheBodyAndItsContentType() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo")) {
            HttpResponse<String> response = Clients.send(HttpRequest.newBuilder(httpd.uri().resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")), "Content-Type", "application/json");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"a\":1}");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    @Test
    void echoAnswersPutAndCoversPathsBelow() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo")) {
            Clients.CurlResult result = Clients.curl("-X", "PUT", "--data-binary", "raw bytes",
                    "-H", "Content-Type: text/x-test", "-D", "-", httpd.uri().resolve("/echo/deeper").toString());
            assertThat(result.stdout()).contains("HTTP/1.1 200 ").contains("Content-Type: text/x-test")
                    .endsWith("\r\n\r\nraw bytes");
        }
    }

    @Test
    void echoWithoutAContentTypeAnswersOctetStream() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo")) {
            String response = Clients.raw(httpd.uri(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                    + "Connection: close\r\n\r\nabc");
            assertThat(response).contains("Content-Type: application/octet-stream\r\n").endsWith("\r\n\r\nabc");
        }
    }

    @Test
    void echoRefusesGetWith405() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo")) {
            HttpResponse<String> response = Clients.get(httpd.uri(), "/echo");
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST, PUT");
        }
    }

    @Test
    void echoLeavesTheFilesServedElsewhere() throws Exception {
        Files.writeString(dir.resolve("echoes.txt"), "file");
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo")) {
            assertThat(Clients.get(httpd.uri(), "/echoes.txt").body()).isEqualTo("file");
        }
    }

    @Test
    void maxBodyRefusesALargerEchoBodyWith413() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--echo", "/echo", "--max-body", "1k")) {
            HttpResponse<String> small = Clients.send(HttpRequest.newBuilder(httpd.uri().resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])));
            assertThat(small.statusCode()).isEqualTo(200);
            String large = Clients.raw(httpd.uri(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertThat(Clients.status(large)).isEqualTo(413);
        }
    }

    @Test
    void accessLogWritesOneCommonLogFormatLinePerRequest() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--access-log")) {
            URI uri = httpd.uri();
            Clients.get(uri, "/hello.txt?q=1");
            assertThat(httpd.awaitStdoutLine()).matches(
                    "127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
                    + "\"GET /hello\\.txt\\?q=1 HTTP/1\\.1\" 200 5");
            Clients.get(uri, "/missing");
            assertThat(httpd.awaitStdoutLine()).contains("\"GET /missing HTTP/1.1\" 404 ");
            Clients.raw(uri, "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(httpd.awaitStdoutLine()).endsWith("\"HEAD /hello.txt HTTP/1.1\" 200 -");
        }
    }

    @Test
    void withoutAccessLogStdoutHasOnlyTheUris() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir)) {
            assertThat(Clients.get(httpd.uri(), "/hello.txt").statusCode()).isEqualTo(200);
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(httpd.drainStdout()).isEqualTo(httpd.uri() + "\n");
        }
    }
}
