package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertNoInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness (issue 2, item 7), byte for byte over a raw socket: every malformed request
 * gets its status, the connection is closed whenever the framing can no longer be trusted, and no
 * response shows a stack trace or a class name.
 */
class StrictParsingTest {
    private static EngineFixture fixture;

    @BeforeAll
    static void startServer() throws Exception {
        // HTTP/1 strictness: with h2c on (the default) the HTTP/2 preface is HTTP/2, and a first line that
        // names no HTTP version closes the connection unanswered (Http2ClientsTest covers both)
        fixture = EngineFixture.start(new Limits(), server -> {
            server.setH2cEnabled(false);
            server.addHandler("*", (s, msg, path, query) -> {
                msg.getResponseHeaders().append("Allow", "GET, HEAD, OPTIONS");
                msg.setResponse("text/plain", ("star " + msg.getMethod() + " " + path).getBytes(StandardCharsets.UTF_8));
                msg.setStatus(200);
            });
        });
    }

    @AfterAll
    static void stopServer() {
        fixture.close();
    }

    private static String get(String headers) {
        return "GET /x HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n";
    }

    private static String post(String headers, String body) {
        return "POST /x HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n" + body;
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n", body);
    }

    private static Arguments rejected(String name, String request, int status) {
        return Arguments.of(named(name, request), status);
    }

    /** Requests that must be answered with the given error status and then a close. */
    static Stream<Arguments> rejectedAndClosed() {
        return Stream.of(
                // message framing
                rejected("Content-Length with Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400),
                rejected("Transfer-Encoding before Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), 400),
                rejected("two different Content-Length fields", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400),
                rejected("a Content-Length list with different values", post("Content-Length: 5, 6\r\n", "hello!"), 400),
                rejected("a non-numeric Content-Length", post("Content-Length: abc\r\n", ""), 400),
                rejected("a negative Content-Length", post("Content-Length: -1\r\n", ""), 400),
                rejected("a signed Content-Length", post("Content-Length: +5\r\n", "hello"), 400),
                rejected("a hexadecimal Content-Length", post("Content-Length: 0x5\r\n", "hello"), 400),
                rejected("an empty Content-Length", post("Content-Length: \r\n", ""), 400),
                rejected("two numbers in one Content-Length", post("Content-Length: 5 5\r\n", "hello"), 400),
                rejected("a Content-Length beyond 64 bits", post("Content-Length: 99999999999999999999\r\n", ""), 400),
                rejected("a transfer-coding list ending in gzip", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400),
                rejected("gzip alone as transfer coding", post("Transfer-Encoding: gzip\r\n", "x"), 400),
                rejected("identity as transfer coding", post("Transfer-Encoding: identity\r\n", "x"), 400),
                rejected("chunked applied twice", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400),
                rejected("an empty transfer coding", post("Transfer-Encoding: \r\n", ""), 400),
                rejected("an unknown transfer coding before chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501),
                rejected("Transfer-Encoding on HTTP/1.0",
                        "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                // chunk framing
                rejected("a non-hex chunk size", chunked("zz\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a chunk size with a 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a zero chunk size with a 0x prefix and nothing else", chunked("0x5\r\n\r\n"), 400),
                rejected("a chunk size with a trailing plus", chunked("5+\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a chunk size followed by garbage", chunked("5g\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a chunk size followed by a space and a word", chunked("5 five\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("an empty chunk size line", chunked("\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("chunk data not followed by CRLF", chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400),
                rejected("chunk data followed by a bare LF", chunked("5\r\nhello\n0\r\n\r\n"), 400),
                rejected("a chunk size line ending in a bare LF", chunked("5\nhello\r\n0\r\n\r\n"), 400),
                rejected("a chunk size line ending in a bare CR", chunked("5\rhello\r\n0\r\n\r\n"), 400),
                rejected("a chunk size of 17 hex digits", chunked("10000000000000000\r\nhello\r\n0\r\n\r\n"), 413),
                rejected("a chunk size of 16 f's", chunked("ffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 413),
                rejected("a trailer field with whitespace before the colon", chunked("0\r\nX-T : v\r\n\r\n"), 400),
                rejected("a trailer line ending in a bare LF", chunked("0\r\nX-T: v\n\r\n"), 400),
                rejected("a NUL in a chunk extension", chunked("5;a\u0000b\r\nhello\r\n0\r\n\r\n"), 400),
                rejected("a control character in a trailer value", chunked("0\r\nX-T: a\u0001b\r\n\r\n"), 400),
                // line endings and field syntax
                rejected("a bare CR inside a header value", get("X-A: a\rb\r\n"), 400),
                rejected("a header line ending in a bare CR", get("X-A: a\r\r\n"), 400),
                rejected("a bare CR inside a header name", get("X\rA: b\r\n"), 400),
                rejected("a bare CR in the request line", "GET /x\r HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("bare LF line endings", "GET /x HTTP/1.1\nHost: h\n\n", 400),
                rejected("a request line ending in a bare LF", "GET /x HTTP/1.1\nHost: h\r\n\r\n", 400),
                rejected("a header line ending in a bare LF", "GET /x HTTP/1.1\r\nHost: h\nX-A: b\r\n\r\n", 400),
                rejected("a header section ending in a bare LF", "GET /x HTTP/1.1\r\nHost: h\r\n\n", 400),
                rejected("a space before the colon", get("X-A : b\r\n"), 400),
                rejected("a tab before the colon", get("X-A\t: b\r\n"), 400),
                rejected("a space before the colon of Host", "GET /x HTTP/1.1\r\nHost : h\r\n\r\n", 400),
                rejected("a header line without a colon", get("X-A b\r\n"), 400),
                rejected("an empty header name", get(": b\r\n"), 400),
                rejected("a parenthesis in a header name", get("X(A): b\r\n"), 400),
                rejected("an at sign in a header name", get("X@A: b\r\n"), 400),
                rejected("brackets in a header name", get("[X]: b\r\n"), 400),
                rejected("a slash in a header name", get("X/A: b\r\n"), 400),
                rejected("a non-ASCII byte in a header name", get("X\u00e9: b\r\n"), 400),
                rejected("a NUL in a header value", get("X-A: a\u0000b\r\n"), 400),
                rejected("a 0x01 in a header value", get("X-A: a\u0001b\r\n"), 400),
                rejected("a DEL in a header value", get("X-A: a\u007fb\r\n"), 400),
                rejected("a vertical tab in a header value", get("X-A: a\u000bb\r\n"), 400),
                rejected("an escape in a header value", get("X-A: a\u001bb\r\n"), 400),
                rejected("obs-fold with a space", get("X-A: a\r\n b\r\n"), 400),
                rejected("obs-fold with a tab", get("X-A: a\r\n\tb\r\n"), 400),
                rejected("whitespace before the first header field", "GET /x HTTP/1.1\r\n Host: h\r\n\r\n", 400),
                // Host values no URI can hold (found by fuzzing: getUri() failed on them)
                rejected("a stray percent sign in Host", "GET /x HTTP/1.1\r\nHost: 127%0.0.1\r\n\r\n", 400),
                rejected("a truncated percent-escape in Host", "GET /x HTTP/1.1\r\nHost: h%4\r\n\r\n", 400),
                rejected("an IPv6 Host with three colons in a row", "GET /x HTTP/1.1\r\nHost: [:::]\r\n\r\n", 400),
                rejected("an IPv6 Host with nine groups", "GET /x HTTP/1.1\r\nHost: [1:2:3:4:5:6:7:8:9]\r\n\r\n", 400),
                rejected("an empty IPv6 Host", "GET /x HTTP/1.1\r\nHost: []\r\n\r\n", 400),
                rejected("a bad escape in an absolute-form authority", "GET http://jdk0%2/x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                // methods and request line
                rejected("a parenthesis in the method", "GE(T /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a non-ASCII byte in the method", "G\u00c9T /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a tab after the method", "GET\t/x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("two spaces after the method", "GET  /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a leading space before the method", " GET /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("an empty method", " /x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a space inside the target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a tab in the target", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a non-ASCII byte in the target", "GET /a\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a request line without a version", "GET /x\r\nHost: h\r\n\r\n", 400),
                rejected("a trailing space after the version", "GET /x HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
                // Host
                rejected("HTTP/1.1 without Host", "GET /x HTTP/1.1\r\n\r\n", 400),
                rejected("two Host fields", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                rejected("two identical Host fields", "GET /x HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400),
                rejected("a Host list", "GET /x HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),
                rejected("a Host with a path", "GET /x HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                rejected("a Host with user info", "GET /x HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
                // versions
                rejected("HTTP/1.2", "GET /x HTTP/1.2\r\nHost: h\r\n\r\n", 505),
                rejected("HTTP/2.0", "GET /x HTTP/2.0\r\nHost: h\r\n\r\n", 505),
                rejected("HTTP/0.9 with a version", "GET /x HTTP/0.9\r\nHost: h\r\n\r\n", 505),
                rejected("HTTP/1.10", "GET /x HTTP/1.10\r\nHost: h\r\n\r\n", 400),
                rejected("HTTP/1", "GET /x HTTP/1\r\nHost: h\r\n\r\n", 400),
                rejected("a lower-case protocol name", "GET /x http/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("another protocol", "GET /x FOO/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("letters as version", "GET /x HTTP/x.y\r\nHost: h\r\n\r\n", 400),
                rejected("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
                // targets
                rejected("an encoded slash after a dot-dot", "GET /..%2ftest HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("encoded dots and slash", "GET /%2e%2e%2ftest HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("encoded dot-dot segment", "GET /a/%2e%2e/b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("an encoded NUL", "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("GET with the asterisk target", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a fragment in the target", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a relative target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                // expectations (the engine closes after a 417, body or not)
                rejected("an unknown expectation", "GET /x HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\n\r\n", 417));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedAndClosed")
    void malformedRequestIsAnsweredWithItsStatusAndTheConnectionIsClosed(String request, int status) throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send(request);
            WireClient.Response r = c.read(request.startsWith("HEAD"));
            assertThat(r.status()).as(r.statusLine()).isEqualTo(status);
            assertThat(r.hasToken("Connection", "close")).as("Connection: close").isTrue();
            assertThat(r.header("Date")).isNotNull();
            assertNoInternals(r);
            c.assertClosed();
        }
    }

    /** Requests answered with an error whose framing is intact, so the connection goes on. */
    static Stream<Arguments> rejectedAndKept() {
        return Stream.of(
                rejected("an https absolute-form target on plain http", "GET https://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("an unknown scheme in the absolute form", "GET ftp://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a malformed percent-escape", "GET /a%zzb HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a path that is not UTF-8", "GET /a%ff HTTP/1.1\r\nHost: h\r\n\r\n", 400),
                rejected("a malformed percent-escape in the query", "GET /a?b=%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedAndKept")
    void requestWithAValidFrameButABadTargetIsRejectedAndTheConnectionGoesOn(String request, int status) throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send(request);
            WireClient.Response r = c.read();
            assertThat(r.status()).as(r.statusLine()).isEqualTo(status);
            assertThat(r.hasToken("Connection", "close")).isFalse();
            assertNoInternals(r);
            c.assertOpen();
        }
    }

    /** Requests the engine must accept: strict does not mean pedantic. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(named("identical duplicate Content-Length fields",
                        post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello")), "POST /x body=hello"),
                Arguments.of(named("a Content-Length list of identical values",
                        post("Content-Length: 5, 5\r\n", "hello")), "POST /x body=hello"),
                Arguments.of(named("a zero Content-Length", post("Content-Length: 0\r\n", "")), "POST /x"),
                Arguments.of(named("upper-case hex chunk sizes with extensions",
                        chunked("A;name=value;quoted=\"a b\"\r\n0123456789\r\n0\r\n\r\n")), "POST /x body=0123456789"),
                Arguments.of(named("a chunk extension after whitespace", chunked("5 ;ext\r\nhello\r\n0\r\n\r\n")), "POST /x body=hello"),
                Arguments.of(named("leading zeros in a chunk size", chunked("0005\r\nhello\r\n000\r\n\r\n")), "POST /x body=hello"),
                Arguments.of(named("Transfer-Encoding in another case", post("Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")),
                        "POST /x body=hello"),
                Arguments.of(named("an empty line before the request line", "\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"), "GET /x"),
                Arguments.of(named("optional whitespace around a value", get("X-A: \t b \t\r\n")), "GET /x"),
                Arguments.of(named("a header value with non-ASCII bytes", get("X-A: caf\u00e9\r\n")), "GET /x"),
                Arguments.of(named("an empty header value", get("X-A:\r\n")), "GET /x"),
                Arguments.of(named("a lower-case host field", "GET /x HTTP/1.1\r\nhost: h\r\n\r\n"), "GET /x"),
                Arguments.of(named("a Host with a port", "GET /x HTTP/1.1\r\nHost: h:8080\r\n\r\n"), "GET /x"),
                Arguments.of(named("an IPv6 literal Host", "GET /x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"), "GET /x"),
                Arguments.of(named("an IPv4-mapped IPv6 Host", "GET /x HTTP/1.1\r\nHost: [::ffff:127.0.0.1]\r\n\r\n"), "GET /x"),
                Arguments.of(named("a full IPv6 Host", "GET /x HTTP/1.1\r\nHost: [2001:db8:0:0:0:0:2:1]:80\r\n\r\n"), "GET /x"),
                Arguments.of(named("a percent-escape in Host", "GET /x HTTP/1.1\r\nHost: caf%C3%A9.example\r\n\r\n"), "GET /x"),
                Arguments.of(named("a dot-dot segment in the path", "GET /a/../b HTTP/1.1\r\nHost: h\r\n\r\n"), "GET /b"),
                Arguments.of(named("a dot-dot above the root", "GET /../b HTTP/1.1\r\nHost: h\r\n\r\n"), "GET /b"),
                Arguments.of(named("a dot segment", "GET /a/./b HTTP/1.1\r\nHost: h\r\n\r\n"), "GET /a/b"),
                Arguments.of(named("an http absolute-form target", "GET http://h/a/b?q=1 HTTP/1.1\r\nHost: h\r\n\r\n"), "GET /a/b"),
                Arguments.of(named("an unknown token method", "PURGE /x HTTP/1.1\r\nHost: h\r\n\r\n"), "PURGE /x"),
                Arguments.of(named("token punctuation in a header name", get("X-!#$%&'*+.^_`|~: b\r\n")), "GET /x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void wellFormedRequestIsAnsweredAndTheConnectionGoesOn(String request, String body) throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send(request);
            WireClient.Response r = c.read();
            assertThat(r.status()).as(r.statusLine() + " " + r.bodyText()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(body);
            c.assertOpen();
        }
    }

    @Test
    void http10RequestWithoutHostIsServed() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send("GET /x HTTP/1.0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("GET /x");
            c.assertClosed();
        }
    }

    @Test
    void optionsAsteriskReachesOnlyTheAsteriskHandler() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("star OPTIONS *");
            c.assertOpen();
        }
    }

    @Test
    void optionsAsteriskWithoutAnAsteriskHandlerIsNotFoundNotTheDefaultHandler() throws Exception {
        try (EngineFixture plain = EngineFixture.start(); WireClient c = plain.connect()) {
            c.send("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(404);
            c.assertOpen();
        }
    }

    @Test
    void optionsOnAPathDoesNotReachTheAsteriskHandler() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send("OPTIONS /x HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("OPTIONS /x");
            c.assertOpen();
        }
    }

    @Test
    void tlsClientHelloOnThePlainPortIsAnsweredWith400AndClosed() throws Exception {
        byte[] hello = clientHello();
        assertThat(hello[0]).isEqualTo((byte) 0x16);
        try (WireClient c = fixture.connect()) {
            c.socket().setSoTimeout(5000);
            c.send(hello);
            long start = System.nanoTime();
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the answer").isLessThan(3000);
            assertNoInternals(r);
            c.assertClosed();
        }
    }

    @Test
    void tlsRecordHeaderAloneIsAnsweredWith400AndClosed() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.socket().setSoTimeout(5000);
            c.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            c.assertClosed();
        }
    }

    /** The first flight of a real TLS client, as a browser pointed at https:// on this port would send. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), net);
        net.flip();
        byte[] bytes = new byte[net.remaining()];
        net.get(bytes);
        return bytes;
    }

    @Test
    void eachRejectionIsLoggedOnce() throws Exception {
        try (LogCapture log = new LogCapture("dev.ladle.server.internal.RequestPipeline", "ALL");
             WireClient c = fixture.connect()) {
            c.send("GET /x HTTP/1.1\r\nHost: h\r\nX-A : b\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
            c.assertClosed();
            assertThat(log.records()).filteredOn(line -> line.contains("400")).hasSize(1);
        }
    }

    @Test
    void aHandlerResponseNeverCarriesTheExceptionOfAFailingHandler() throws Exception {
        try (WireClient c = fixture.connect()) {
            c.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(500);
            assertNoInternals(r);
        }
    }
}
