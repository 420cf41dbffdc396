package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Issue 4 item 5: Range on complete 200 GET responses, as libsoup, with RFC 9110's corrections; over both protocols. */
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

    private Response get(Protocol protocol, String path, String... headers) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            return c.get(path, headers);
        }
    }

    @BothProtocols
    void singleRangeGives206WithContentRange(Protocol protocol) throws Exception {
        Response r = get(protocol, "/", "Range: bytes=2-4");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-4/10");
        assertThat(r.bodyText()).isEqualTo("234");
    }

    @BothProtocols
    void openAndSuffixRangesAreResolvedAgainstTheLength(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/", "Range: bytes=7-").bodyText()).isEqualTo("789");
        assertThat(get(protocol, "/", "Range: bytes=-3").bodyText()).isEqualTo("789");
        Response longSuffix = get(protocol, "/", "Range: bytes=-50");
        assertThat(longSuffix.header("Content-Range")).isEqualTo("bytes 0-9/10");
        assertThat(longSuffix.bodyText()).isEqualTo("0123456789");
        assertThat(get(protocol, "/", "Range: bytes=8-100").header("Content-Range")).isEqualTo("bytes 8-9/10");
    }

    @BothProtocols
    void severalRangesGiveMultipartByteranges(Protocol protocol) throws Exception {
        Response r = get(protocol, "/", "Range: bytes=0-1,5-6");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Type")).startsWith("multipart/byteranges; boundary=");
        String boundary = r.header("Content-Type").substring("multipart/byteranges; boundary=".length());
        String body = r.bodyText();
        assertThat(body).contains("--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n");
        assertThat(body).contains("Content-Range: bytes 5-6/10\r\n\r\n56\r\n--" + boundary + "--");
    }

    @BothProtocols
    void overlappingRangesAreMerged(Protocol protocol) throws Exception {
        Response r = get(protocol, "/", "Range: bytes=0-3,2-5");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-5/10");
    }

    @BothProtocols
    void unsatisfiableRangeGives416WithTheLength(Protocol protocol) throws Exception {
        Response r = get(protocol, "/", "Range: bytes=20-30");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */10");
        assertThat(r.body()).isEmpty();
    }

    @BothProtocols
    void invalidRangesAreIgnored(Protocol protocol) throws Exception {
        for (String range : new String[] {"bytes=5-1", "horses=0-3", "bytes", "bytes=,", "bytes=a-b"}) {
            Response r = get(protocol, "/", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("0123456789");
        }
    }

    @BothProtocols
    void zeroLengthSuffixIsUnsatisfiable(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/", "Range: bytes=-0").status()).isEqualTo(416);
    }

    @BothProtocols
    void ifRangeWithTheCurrentEtagOrDateAppliesTheRange(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/", "Range: bytes=0-0", "If-Range: \"v1\"").status()).isEqualTo(206);
        assertThat(get(protocol, "/", "Range: bytes=0-0", "If-Range: Sun, 06 Nov 1994 08:49:37 GMT").status()).isEqualTo(206);
    }

    @BothProtocols
    void ifRangeWithAStaleValidatorSendsTheWholeBody(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/", "Range: bytes=0-0", "If-Range: \"v0\"").status()).isEqualTo(200);
        assertThat(get(protocol, "/", "Range: bytes=0-0", "If-Range: Mon, 07 Nov 1994 08:49:37 GMT").status()).isEqualTo(200);
    }

    @BothProtocols
    void rangesApplyOnlyToGetWith200AndCanBeTurnedOff(Protocol protocol) throws Exception {
        assertThat(get(protocol, "/created", "Range: bytes=0-0").status()).isEqualTo(201);
        assertThat(get(protocol, "/optout", "Range: bytes=0-0").status()).isEqualTo(200);
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("POST", "/").header("Range", "bytes=0-0").body("")).read();
            assertThat(r.status()).isEqualTo(200);
        }
    }
}
