package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.GuideHttp;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A StatusException is the handler's answer; any other exception is a 500 that tells the client nothing. */
class OrderServerTest {
    private Server server;
    private URI base;
    private GuideHttp http;

    @BeforeEach
    void start() throws Exception {
        server = OrderServer.start(Map.of("42", "one teapot"));
        base = server.getUris().get(0);
        http = new GuideHttp(base);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void aKnownOrderIsAnswered() throws Exception {
        assertThat(http.get("/orders/42").body()).isEqualTo("one teapot\n");
    }

    @Test
    void aStatusExceptionIsAnsweredWithItsStatusAndReasonAsText() throws Exception {
        HttpResponse<String> r = http.get("/orders/7");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("no order \"7\"\n");
    }

    @Test
    void anyOtherExceptionIsA500WithoutItsMessageAndTheConnectionGoesOn() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("GET /report HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).isEmpty();
            assertThat(r.header("Content-Type")).isNull();
            assertThat(r.header("Connection")).isNull();
            assertThat(raw.send("GET /orders/42 HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("one teapot\n");
        }
    }
}
