package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1, {@link ListenOption#PROXY_PROTOCOL} on real sockets with exact bytes: the client a
 * PROXY header names is the remote address of every request of its connection (the balancer's stays
 * the peer address), {@code LOCAL} and {@code UNKNOWN} keep the balancer's, TLVs reach the handler,
 * HTTP/2 prior knowledge follows the header, the per-address cap counts the header's client, and a
 * connection without a valid header is closed within the header timeout without a byte of answer.
 * (TLS after the header: {@code dev.ladle.tls.ProxyProtocolTlsTest}.)
 */
class ProxyProtocolTest {
    static final String SIG = "0D0A0D0A000D0A515549540A";
    static final String REQUEST = "GET /who HTTP/1.1\r\nHost: example.com\r\n\r\n";

    @TempDir
    Path dir;
    private Server server;
    private URI uri;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server on 127.0.0.1 whose PROXY protocol listener answers with what it knows of the client. */
    private void start(Limits limits, Consumer<Server> setup) throws IOException {
        server = new Server();
        server.setLimits(limits);
        server.addHandler(null, (s, msg, path, query) -> {
            ProxyHeader h = msg.getProxyHeader();
            String text = "remote=" + describe(msg.getRemoteAddress()) + " peer=" + describe(msg.getPeerAddress())
                    + " header=" + (h == null ? "none" : "v" + h.version() + " " + h.command())
                    + (h != null && h.alpn() != null ? " alpn=" + h.alpn() : "")
                    + (h != null && h.authority() != null ? " authority=" + h.authority() : "")
                    + (h != null && h.uniqueId() != null ? " id=" + HexFormat.of().formatHex(h.uniqueId()) : "")
                    + " version=" + msg.getHttpVersion();
            msg.setResponse("text/plain", text.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        setup.accept(server);
        server.listen(new InetSocketAddress("127.0.0.1", 0), EnumSet.of(ListenOption.PROXY_PROTOCOL));
        uri = server.getUris().get(0);
    }

    private void start() throws IOException {
        start(new Limits(), s -> { });
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address instanceof UnixDomainSocketAddress unix ? "unix:" + unix.getPath() : String.valueOf(address);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Asserts that the server closes the connection without sending a single byte: an orderly end, or a
     * reset (the server closed with the client's bytes unread). A silent server fails on the read timeout.
     */
    static void assertClosedWithoutAnswer(WireClient c) throws IOException {
        java.io.InputStream in = c.socket().getInputStream();
        int first;
        try {
            first = in.read();
        } catch (java.net.SocketException e) {
            assertThat(e).hasMessageContaining("reset");
            return;
        }
        assertThat(first).as("the first byte of the server's answer").isEqualTo(-1);
    }

    @Test
    void headerAndRequestInOneWriteMakeTheHeadersClientTheRemoteAddress() throws IOException {
        start();
        try (WireClient c = new WireClient(uri)) {
            c.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n"), ascii(REQUEST)));
            String body = c.read().bodyText();
            assertThat(body).startsWith("remote=203.0.113.7:56324 peer=127.0.0.1:" + c.socket().getLocalPort() + " header=v1 PROXY");
        }
    }

    @Test
    void everyRequestOfTheConnectionHasTheHeadersClient() throws IOException {
        start();
        byte[] header = hex(SIG + "21 21 0024 20010DB8000000000000000000000001 20010DB8000000000000000000000002 1267 0050");
        try (WireClient c = new WireClient(uri)) {
            c.send(header);
            for (int i = 0; i < 3; i++) {
                c.send(REQUEST);
                assertThat(c.read().bodyText()).startsWith("remote=2001:db8:0:0:0:0:0:1:4711 peer=127.0.0.1:");
            }
        }
    }

    @Test
    void headerWrittenByteByByteIsReassembled() throws IOException {
        start();
        try (WireClient c = new WireClient(uri)) {
            for (byte b : ascii("PROXY TCP4 198.51.100.22 192.0.2.1 35646 80\r\n")) {
                c.send(new byte[] {b});
            }
            c.send(REQUEST);
            assertThat(c.read().bodyText()).startsWith("remote=198.51.100.22:35646 ");
        }
    }

    @Test
    void localHealthCheckAndUnknownKeepTheBalancersAddress() throws IOException {
        start();
        for (byte[] header : List.of(hex(SIG + "20 00 0000"), hex(SIG + "20 11 000C CB007107 C0000201 DC04 01BB"),
                ascii("PROXY UNKNOWN\r\n"))) {
            try (WireClient c = new WireClient(uri)) {
                c.send(concat(header, ascii(REQUEST)));
                String own = "127.0.0.1:" + c.socket().getLocalPort();
                assertThat(c.read().bodyText()).startsWith("remote=" + own + " peer=" + own + " header=v");
            }
        }
    }

    @Test
    void unixSourceAddressBecomesTheRemoteAddress() throws IOException {
        start();
        try (WireClient c = new WireClient(uri)) {
            c.send(concat(hex(SIG + "21 31 00D8" + sunPath("/run/client.sock") + sunPath("/run/ladle.sock")), ascii(REQUEST)));
            assertThat(c.read().bodyText()).startsWith("remote=unix:/run/client.sock peer=127.0.0.1:");
        }
    }

    static String sunPath(String path) {
        byte[] b = new byte[108];
        System.arraycopy(ascii(path), 0, b, 0, path.length());
        return HexFormat.of().formatHex(b);
    }

    @Test
    void tlvsReachTheHandler() throws IOException {
        start();
        String tlvs = "01 0002 6832 02 000B " + HexFormat.of().formatHex(ascii("example.com")) + " 05 0004 DEADBEEF";
        try (WireClient c = new WireClient(uri)) {
            int length = 12 + hex(tlvs).length;
            c.send(concat(hex(SIG + "21 11" + String.format("%04X", length) + "CB007107 C0000201 DC04 01BB" + tlvs), ascii(REQUEST)));
            assertThat(c.read().bodyText()).contains("header=v2 PROXY alpn=h2 authority=example.com id=deadbeef");
        }
    }

    @Test
    void requestStartedListenersSeeTheHeadersClient() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        start(new Limits(), s -> s.onRequestStarted(msg -> seen.add(describe(msg.getRemoteAddress()))));
        try (WireClient c = new WireClient(uri)) {
            c.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n"), ascii(REQUEST)));
            c.read();
        }
        assertThat(seen).containsExactly("203.0.113.7:56324");
    }

    @Test
    void connectionsWithoutAValidHeaderAreClosedWithoutAnAnswer() throws IOException {
        List<ServerMessage> started = new CopyOnWriteArrayList<>();
        start(new Limits(), s -> s.onRequestStarted(started::add));
        List<byte[]> starts = List.of(
                ascii(REQUEST),                                                     // no header at all
                ascii("PROXY TCP4 203.0.113.7 192.0.2.1 056324 80\r\n" + REQUEST),  // a leading zero
                hex(SIG + "21 11 0013 CB007107 C0000201 DC04 01BB 03 0004 00000000"), // a wrong CRC32c
                hex(SIG + "22 11 000C CB007107 C0000201 DC04 01BB"),                // an unknown command
                hex(SIG + "21 11 FFFF"));                                          // a length beyond the limit
        for (byte[] start : starts) {
            try (WireClient c = new WireClient(uri)) {
                c.send(start);
                assertClosedWithoutAnswer(c);
            }
        }
        assertThat(started).as("requests started").isEmpty();
    }

    @Test
    void incompleteOrMissingHeaderIsClosedWithinTheHeaderTimeout() throws IOException {
        start(new Limits().setHeaderTimeout(Duration.ofMillis(300)), s -> { });
        for (String partial : List.of("", "PROXY TCP4 203.0.113.7 ")) {
            try (WireClient c = new WireClient(uri)) {
                c.send(partial);
                // the client waits up to 10 s: far longer than the header timeout
                assertClosedWithoutAnswer(c);
            }
        }
    }

    @Test
    void closingTheServerEndsAConnectionStillWaitingForItsHeaderAtOnce() throws Exception {
        start(new Limits().setHeaderTimeout(Duration.ofSeconds(120)).setShutdownTimeout(Duration.ofSeconds(120)), s -> { });
        try (WireClient c = new WireClient(uri)) {
            c.send("PROXY TCP4 203.0.113.7 ");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.getConnectionCount() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long started = System.nanoTime();
            server.close();
            // far below both timeouts: the connection counted as idle, not as a request in flight
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertClosedWithoutAnswer(c);
        }
    }

    @Test
    void listenerWithoutTheOptionTakesAProxyLineForABadRequestLine() throws IOException {
        // as any first line that names no HTTP version: 400 without h2c, closed with it (a failed HTTP/2 preface)
        try (EngineFixture f = EngineFixture.start(new Limits(), s -> s.setH2cEnabled(false)); WireClient c = f.connect()) {
            c.send("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n" + REQUEST);
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            EngineFixture.assertNoInternals(r);
        }
        try (EngineFixture f = EngineFixture.start(); WireClient c = f.connect()) {
            c.send("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n" + REQUEST);
            assertClosedWithoutAnswer(c);
        }
    }

    @Test
    void http2PriorKnowledgeFollowsTheHeader() throws IOException {
        start();
        try (Http2Client c = new Http2Client(uri, ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n"))) {
            ProtocolClient.Response r = c.get("/who");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).startsWith("remote=203.0.113.7:56324 ").endsWith("version=" + HttpVersion.HTTP_2);
        }
    }

    @Test
    void perAddressCapCountsTheClientTheHeaderNames() throws IOException {
        start(new Limits().setMaxConnectionsPerAddress(1), s -> { });
        try (WireClient x = new WireClient(uri); WireClient y = new WireClient(uri)) {
            // every connection comes from 127.0.0.1, the balancer: the cap counts the clients behind it
            x.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 1000 80\r\n"), ascii(REQUEST)));
            assertThat(x.read().status()).isEqualTo(200);
            y.send(concat(ascii("PROXY TCP4 203.0.113.8 192.0.2.1 1000 80\r\n"), ascii(REQUEST)));
            assertThat(y.read().status()).isEqualTo(200);
            try (WireClient again = new WireClient(uri)) {
                again.send(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 1001 80\r\n"), ascii(REQUEST)));
                WireClient.Response r = again.read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.bodyText()).contains("too many connections from your address");
                again.assertClosed();
            }
            assertThat(server.getStatistics().getConnectionsRefusedByAddressLimit()).isEqualTo(1);
            x.send(REQUEST);
            assertThat(x.read().status()).isEqualTo(200);
        }
    }

    @Test
    void unixDomainListenerReadsTheHeaderToo() throws IOException {
        start();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("ladle.sock"));
        server.listen(address, Set.of(ListenOption.PROXY_PROTOCOL));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(address);
            ch.write(ByteBuffer.wrap(concat(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 56324 80\r\n"),
                    ascii("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))));
            String response = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").contains("remote=203.0.113.7:56324 peer=");
        }
    }

    @Test
    void forwardingHeadersAreBelievedOnlyWhenTheHeadersClientIsTrusted() throws IOException {
        // the balancer at 127.0.0.1 is not trusted for forwarding headers: the client behind it is what counts
        start(new Limits(), s -> s.setTrustedProxies(TrustedProxies.of("198.51.100.0/24")));
        try (WireClient trusted = new WireClient(uri); WireClient untrusted = new WireClient(uri)) {
            trusted.send("PROXY TCP4 198.51.100.9 192.0.2.1 1000 80\r\n");
            trusted.get("/who", "X-Forwarded-For: 203.0.113.50");
            assertThat(trusted.read().bodyText()).startsWith("remote=203.0.113.50:0 ");
            untrusted.send("PROXY TCP4 203.0.113.7 192.0.2.1 1000 80\r\n");
            untrusted.get("/who", "X-Forwarded-For: 203.0.113.50");
            assertThat(untrusted.read().bodyText()).startsWith("remote=203.0.113.7:1000 ");
        }
    }
}
