package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chapter's table of which handler answers which path. */
class DocsServerTest {
    private Server server;
    private HttpClient client;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = DocsServer.start();
        client = HttpClient.newHttpClient();
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
    }

    @Test
    void thePrefixCoversItselfAndWhatIsBelowItOnSegmentBoundaries() throws Exception {
        assertThat(get("/docs").body()).isEqualTo("docs: /docs\n");
        assertThat(get("/docs/").body()).isEqualTo("docs: /docs/\n");
        assertThat(get("/docs/guide/intro").body()).isEqualTo("docs: /docs/guide/intro\n");
        assertThat(get("/docsearch").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).as("no default handler").isEqualTo(404);
    }

    @Test
    void theHandlerGetsThePercentDecodedPath() throws Exception {
        assertThat(get("/docs/caf%C3%A9%20menu").body()).isEqualTo("docs: /docs/café menu\n");
    }

    @Test
    void theLongestPrefixWinsAndRemovingItHandsItsPathsBack() throws Exception {
        assertThat(get("/docs/drafts").statusCode()).isEqualTo(403);
        assertThat(get("/docs/drafts/plan").statusCode()).isEqualTo(403);
        server.removeHandler("/docs/drafts");
        assertThat(get("/docs/drafts/plan").body()).isEqualTo("docs: /docs/drafts/plan\n");
    }

    @Test
    void anEarlyHandlerAloneHidesTheShorterPrefixsNormalHandler() throws Exception {
        server.addEarlyHandler("/docs/archive", (srv, msg, path, query) -> { });
        assertThat(get("/docs/archive/2023").statusCode()).isEqualTo(500);
        assertThat(get("/docs/other").statusCode()).isEqualTo(200);
    }

    @Test
    void aPathMustStartWithASlashOrBeTheAsterisk() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> server.addHandler("docs", (srv, msg, path, query) -> { }));
    }

    @Test
    void theAsteriskHandlerAnswersOnlyOptionsAsterisk() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
        assertThat(client.send(HttpRequest.newBuilder(base.resolve("/")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                BodyHandlers.discarding()).statusCode()).as("OPTIONS / is not OPTIONS *").isEqualTo(404);
        server.removeHandler("*");
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
        }
    }
}
