package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests (RFC 9113 §8.1-8.3) are stream errors: RST_STREAM PROTOCOL_ERROR, no response,
 * no handler, and the connection goes on serving.
 */
class Http2RequestValidationTest {
    private Http2TestServer server;
    private H2TestClient client;

    @BeforeEach
    void start() throws Exception {
        server = new Http2TestServer();
        client = H2TestClient.connect(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    /** Sends the fields on stream 1, expects RST_STREAM PROTOCOL_ERROR, then proves the connection lives. */
    private void assertMalformed(boolean endStream, String... fields) throws Exception {
        client.headers(1, endStream, fields);
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
        client.get(3, "/");
        assertThat(client.response(3).status()).isEqualTo("200");
        assertThat(server.started.get()).isEqualTo(1);
    }

    private static String[] without(String name) {
        String[] all = request("GET", "/");
        List<String> l = new ArrayList<>();
        for (int i = 0; i < all.length; i += 2) {
            if (!all[i].equals(name)) {
                l.add(all[i]);
                l.add(all[i + 1]);
            }
        }
        return l.toArray(new String[0]);
    }

    @Test
    void missingMethodIsMalformed() throws Exception {
        assertMalformed(true, without(":method"));
    }

    @Test
    void missingSchemeIsMalformed() throws Exception {
        assertMalformed(true, without(":scheme"));
    }

    @Test
    void missingPathIsMalformed() throws Exception {
        assertMalformed(true, without(":path"));
    }

    @Test
    void emptyPathIsMalformed() throws Exception {
        assertMalformed(true, request("GET", ""));
    }

    @Test
    void duplicatePseudoHeaderIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", ":path", "/again"));
    }

    @Test
    void unknownPseudoHeaderIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", ":foo", "bar"));
    }

    @Test
    void responsePseudoHeaderIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", ":status", "200"));
    }

    @Test
    void pseudoHeaderAfterRegularFieldIsMalformed() throws Exception {
        assertMalformed(true, ":method", "GET", ":scheme", "http", "accept", "*/*", ":path", "/");
    }

    @Test
    void uppercaseFieldNameIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "X-Upper", "1"));
    }

    @Test
    void fieldNameWithSpaceIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "x bad", "1"));
    }

    @Test
    void fieldValueWithLineFeedIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "x-a", "a\nb"));
    }

    @Test
    void fieldValueWithNulIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "x-a", "a\0b"));
    }

    @Test
    void fieldValueWithAnotherControlCharacterIsMalformed() throws Exception {
        // found by fuzzing: 0x01 passed here, then the request pipeline's MessageHeaders refused it and
        // the stream's handler failed; HTTP/1 answers 400 for the same field
        assertMalformed(true, request("GET", "/", "accept", "\u0001/*"));
    }

    @Test
    void fieldValueWithDelIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "x-a", "a\u007fb"));
    }

    @Test
    void fieldValueWithLeadingWhitespaceIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "x-a", " a"));
    }

    @Test
    void connectionHeaderIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "connection", "keep-alive"));
    }

    @Test
    void transferEncodingIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "transfer-encoding", "chunked"));
    }

    @Test
    void upgradeHeaderIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "upgrade", "websocket"));
    }

    @Test
    void teOtherThanTrailersIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", "te", "gzip"));
    }

    @Test
    void teTrailersIsAccepted() throws Exception {
        client.headers(1, true, request("GET", "/", "te", "trailers"));
        assertThat(client.response(1).status()).isEqualTo("200");
    }

    @Test
    void plainConnectWithoutAuthorityIsMalformed() throws Exception {
        assertMalformed(true, ":method", "CONNECT");
    }

    @Test
    void plainConnectWithPathIsMalformed() throws Exception {
        assertMalformed(true, ":method", "CONNECT", ":authority", "example.com:443", ":path", "/");
    }

    @Test
    void extendedConnectWithoutPathIsMalformed() throws Exception {
        assertMalformed(false, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "http",
                ":authority", "localhost");
    }

    @Test
    void protocolOnGetIsMalformed() throws Exception {
        assertMalformed(true, request("GET", "/", ":protocol", "websocket"));
    }

    @Test
    void extendedConnectIsServedWithItsProtocol() throws Exception {
        Http2Request[] seen = new Http2Request[1];
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            seen[0] = stream.request();
            Http2TestServer.ok(stream, "ok");
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, true, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "http",
                    ":authority", "localhost", ":path", "/chat");
            assertThat(c.response(1).status()).isEqualTo("200");
            assertThat(seen[0].protocol()).isEqualTo("websocket");
            assertThat(seen[0].path()).isEqualTo("/chat");
        }
    }

    @Test
    void contentLengthLargerThanDataIsMalformed() throws Exception {
        client.headers(1, false, request("POST", "/echo", "content-length", "10"));
        client.data(1, true, "abc");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void dataExceedingContentLengthIsMalformedAtOnce() throws Exception {
        client.headers(1, false, request("POST", "/echo", "content-length", "1"));
        client.data(1, false, "abc");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void contentLengthWithEndStreamOnHeadersIsMalformed() throws Exception {
        assertMalformed(true, request("POST", "/", "content-length", "5"));
    }

    @Test
    void pseudoHeaderInTrailersIsMalformed() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        client.data(1, false, "abc");
        client.headers(1, true, ":path", "/x");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void trailersWithoutEndStreamAreMalformed() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        client.headers(1, false, "x-t", "1");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void trailersReachTheHandler() throws Exception {
        client.headers(1, false, request("POST", "/trailers"));
        client.data(1, false, "abc");
        client.headers(1, true, "x-checksum", "42");
        assertThat(client.response(1).text()).isEqualTo("x-checksum=42;");
    }

    @Test
    void cookieFieldsAreJoinedAndPseudoHeadersKeptApart() throws Exception {
        Http2Request[] seen = new Http2Request[1];
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            seen[0] = stream.request();
            Http2TestServer.ok(stream, "ok");
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, true, request("GET", "/p?q=1", "cookie", "a=1", "accept", "*/*", "cookie", "b=2"));
            c.response(1);
            Http2Request r = seen[0];
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.scheme()).isEqualTo("http");
            assertThat(r.authority()).isEqualTo("localhost");
            assertThat(r.path()).isEqualTo("/p?q=1");
            assertThat(r.contentLength()).isEqualTo(-1);
            assertThat(r.endStream()).isTrue();
            assertThat(r.fields()).containsExactly("accept", "*/*", "cookie", "a=1; b=2");
        }
    }
}
