package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 4 item 5: Range on complete 200 GET responses, as libsoup, with RFC 9110's corrections. */
class RangeTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", "0123456789".getBytes(StandardCharsets.US_ASCII));
            m.getResponseHeaders().replace("ETag", "\"v1\"");
            m.getResponseHeaders().replace("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT");
            if (p.equals("/optout")) {
                m.getResponseHeaders().replace("Accept-Ranges", "none");
            }
            m.setStatus(p.equals("/created") ? 201 : 200);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WireClient.Response get(String path, String... headers) throws Exception {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: h\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        try (WireClient c = new WireClient(base)) {
            return c.send(req.append("\r\n").toString()).read();
        }
    }

    @Test
    void singleRangeGives206WithContentRange() throws Exception {
        WireClient.Response r = get("/", "Range: bytes=2-4");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-4/10");
        assertThat(r.bodyText()).isEqualTo("234");
    }

    @Test
    void openAndSuffixRangesAreResolvedAgainstTheLength() throws Exception {
        assertThat(get("/", "Range: bytes=7-").bodyText()).isEqualTo("789");
        assertThat(get("/", "Range: bytes=-3").bodyText()).isEqualTo("789");
        WireClient.Response longSuffix = get("/", "Range: bytes=-50");
        assertThat(longSuffix.header("Content-Range")).isEqualTo("bytes 0-9/10");
        assertThat(longSuffix.bodyText()).isEqualTo("0123456789");
        assertThat(get("/", "Range: bytes=8-100").header("Content-Range")).isEqualTo("bytes 8-9/10");
    }

    @Test
    void severalRangesGiveMultipartByteranges() throws Exception {
        WireClient.Response r = get("/", "Range: bytes=0-1,5-6");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Type")).startsWith("multipart/byteranges; boundary=");
        String boundary = r.header("Content-Type").substring("multipart/byteranges; boundary=".length());
        String body = r.bodyText();
        assertThat(body).contains("--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n");
        assertThat(body).contains("Content-Range: bytes 5-6/10\r\n\r\n56\r\n--" + boundary + "--");
    }

    @Test
    void overlappingRangesAreMerged() throws Exception {
        WireClient.Response r = get("/", "Range: bytes=0-3,2-5");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-5/10");
    }

    @Test
    void unsatisfiableRangeGives416WithTheLength() throws Exception {
        WireClient.Response r = get("/", "Range: bytes=20-30");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */10");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void invalidRangesAreIgnored() throws Exception {
        for (String range : new String[] {"bytes=5-1", "horses=0-3", "bytes", "bytes=,", "bytes=a-b"}) {
            WireClient.Response r = get("/", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("0123456789");
        }
    }

    @Test
    void zeroLengthSuffixIsUnsatisfiable() throws Exception {
        assertThat(get("/", "Range: bytes=-0").status()).isEqualTo(416);
    }

    @Test
    void ifRangeWithTheCurrentEtagOrDateAppliesTheRange() throws Exception {
        assertThat(get("/", "Range: bytes=0-0", "If-Range: \"v1\"").status()).isEqualTo(206);
        assertThat(get("/", "Range: bytes=0-0", "If-Range: Sun, 06 Nov 1994 08:49:37 GMT").status()).isEqualTo(206);
    }

    @Test
    void ifRangeWithAStaleValidatorSendsTheWholeBody() throws Exception {
        assertThat(get("/", "Range: bytes=0-0", "If-Range: \"v0\"").status()).isEqualTo(200);
        assertThat(get("/", "Range: bytes=0-0", "If-Range: Mon, 07 Nov 1994 08:49:37 GMT").status()).isEqualTo(200);
    }

    @Test
    void rangesApplyOnlyToGetWith200AndCanBeTurnedOff() throws Exception {
        assertThat(get("/created", "Range: bytes=0-0").status()).isEqualTo(201);
        assertThat(get("/optout", "Range: bytes=0-0").status()).isEqualTo(200);
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("POST / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
        }
    }
}
