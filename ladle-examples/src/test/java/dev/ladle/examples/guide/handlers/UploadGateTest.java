package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The early handler refuses before the body: 401 without the token, 413 over the size, never a 100 Continue. */
class UploadGateTest {
    private static final String TOKEN = "s3cret";
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = UploadGate.start(TOKEN);
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anUploadWithTheTokenIsStored() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/upload"))
                    .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.ofString("hello")).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("stored 5 bytes\n");
        }
    }

    @Test
    void aTooLargeUploadIsRefusedBeforeItsBodyAndTheConnectionCloses() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).as("the final answer, no 100 Continue before it").isEqualTo(413);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.text()).isEqualTo("uploads are limited to 1 MiB\n");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aTooLargeUploadFromTheJdkClientGets413WithoutSendingItsBody() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/upload")).expectContinue(true)
                    .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.ofByteArray(new byte[2_000_000])).build(),
                    BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void anUploadWithoutTheTokenGets401AndAChallenge() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void anUploadOfUndeclaredLengthPassesTheEarlyCheck() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text()).isEqualTo("stored 3 bytes\n");
        }
    }
}
