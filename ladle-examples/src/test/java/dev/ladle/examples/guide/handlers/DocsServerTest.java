package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.GuideHttp;
import dev.ladle.server.Server;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chapter's table of which handler answers which path. */
class DocsServerTest {
    private Server server;
    private URI base;
    private GuideHttp http;

    @BeforeEach
    void start() throws Exception {
        server = DocsServer.start();
        base = server.getUris().get(0);
        http = new GuideHttp(base);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void thePrefixCoversItselfAndWhatIsBelowItOnSegmentBoundaries() throws Exception {
        assertThat(http.get("/docs").body()).isEqualTo("docs: /docs\n");
        assertThat(http.get("/docs/").body()).isEqualTo("docs: /docs/\n");
        assertThat(http.get("/docs/guide/intro").body()).isEqualTo("docs: /docs/guide/intro\n");
        assertThat(http.get("/docsearch").statusCode()).isEqualTo(404);
        assertThat(http.get("/").statusCode()).as("no default handler").isEqualTo(404);
    }

    @Test
    void theHandlerGetsThePercentDecodedPath() throws Exception {
        assertThat(http.get("/docs/caf%C3%A9%20menu").body()).isEqualTo("docs: /docs/café menu\n");
    }

    @Test
    void theLongestPrefixWinsAndRemovingItHandsItsPathsBack() throws Exception {
        assertThat(http.get("/docs/drafts").statusCode()).isEqualTo(403);
        assertThat(http.get("/docs/drafts/plan").statusCode()).isEqualTo(403);
        server.removeHandler("/docs/drafts");
        assertThat(http.get("/docs/drafts/plan").body()).isEqualTo("docs: /docs/drafts/plan\n");
    }

    @Test
    void anEarlyHandlerAloneHidesTheShorterPrefixsNormalHandler() throws Exception {
        server.addEarlyHandler("/docs/archive", (srv, msg, path, query) -> { });
        assertThat(http.get("/docs/archive/2023").statusCode()).isEqualTo(500);
        assertThat(http.get("/docs/other").statusCode()).isEqualTo(200);
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
        assertThat(http.send("OPTIONS", "/", null).statusCode()).as("OPTIONS / is not OPTIONS *").isEqualTo(404);
        server.removeHandler("*");
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
        }
    }
}
