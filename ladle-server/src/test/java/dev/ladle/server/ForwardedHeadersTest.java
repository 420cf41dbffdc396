package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17 item 2, trusted forwarding headers ({@link Server#setTrustedProxies}) over HTTP/1.1 and
 * HTTP/2 with exact header values: a trusted peer's {@code Forwarded} or {@code X-Forwarded-*} fields
 * decide the remote address, scheme and host, walked from the right past trusted hops; an untrusted
 * peer's are ignored, spoofed left-hand entries never win, and malformed values are ignored rather
 * than answered with an error.
 */
class ForwardedHeadersTest {
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

    /** A server on 127.0.0.1 trusting {@code proxies}, whose handler answers with what it knows of the client. */
    private void start(TrustedProxies proxies) throws IOException {
        server = new Server();
        server.setTrustedProxies(proxies);
        server.addHandler(null, (s, msg, path, query) -> {
            String text = "remote=" + ProxyProtocolTest.describe(msg.getRemoteAddress())
                    + " host=" + msg.getRemoteHost() + " uri=" + msg.getUri() + " secure=" + msg.isSecure();
            msg.setResponse("text/plain", text.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.listen(new InetSocketAddress("127.0.0.1", 0), Set.of());
        uri = server.getUris().get(0);
    }

    private String fetch(Protocol protocol, String... headerLines) throws Exception {
        try (ProtocolClient c = protocol.connect(uri)) {
            ProtocolClient.Response r = c.get("/path?q=1", headerLines);
            assertThat(r.status()).isEqualTo(200);
            return r.bodyText();
        }
    }

    /** What the handler says when nothing was forwarded: the connection's own values. */
    private String own() {
        return "remote=127.0.0.1:";
    }

    private String ownUri() {
        return "uri=http://127.0.0.1:" + uri.getPort() + "/path?q=1 secure=false";
    }

    @BothProtocols
    void untrustedPeersForwardingHeadersAreIgnored(Protocol protocol) throws Exception {
        for (TrustedProxies proxies : new TrustedProxies[] {TrustedProxies.NONE, TrustedProxies.of("10.0.0.0/8", "::1")}) {
            start(proxies);
            String body = fetch(protocol, "X-Forwarded-For: 203.0.113.9", "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: example.com", "Forwarded: for=198.51.100.1;proto=https;host=example.com");
            assertThat(body).startsWith(own()).endsWith(ownUri());
            server.close();
        }
    }

    @BothProtocols
    void trustedProxysXForwardedForNamesTheClient(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, "X-Forwarded-For: 203.0.113.9"))
                .startsWith("remote=203.0.113.9:0 host=203.0.113.9 ").endsWith(ownUri());
    }

    @BothProtocols
    void spoofedLeftMostEntryIsNotBelieved(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        // the client sent "X-Forwarded-For: 198.51.100.1"; the trusted proxy appended the address it saw
        assertThat(fetch(protocol, "X-Forwarded-For: 198.51.100.1, 203.0.113.9")).startsWith("remote=203.0.113.9:0 ");
        assertThat(fetch(protocol, "X-Forwarded-For: 127.0.0.1", "X-Forwarded-For: 203.0.113.9")).startsWith("remote=203.0.113.9:0 ");
        assertThat(fetch(protocol, "Forwarded: for=198.51.100.1", "Forwarded: for=203.0.113.9")).startsWith("remote=203.0.113.9:0 ");
    }

    @BothProtocols
    void trustedProxiesInTheChainAreSkipped(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"));
        assertThat(fetch(protocol, "X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.2.3, 2001:db8:ffff::7"))
                .startsWith("remote=203.0.113.9:0 ");
        assertThat(fetch(protocol, "Forwarded: for=198.51.100.1, for=203.0.113.9, for=10.1.2.3, for=\"[2001:db8:ffff::7]:80\""))
                .startsWith("remote=203.0.113.9:0 ");
        // every hop trusted: the left-most is the client (a client inside the trusted network)
        assertThat(fetch(protocol, "X-Forwarded-For: 10.9.9.9, 10.1.2.3")).startsWith("remote=10.9.9.9:0 ");
    }

    @BothProtocols
    void unknownOrObfuscatedHopEndsTheWalkAtTheProxyThatReportedIt(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1", "10.0.0.0/8"));
        assertThat(fetch(protocol, "X-Forwarded-For: 203.0.113.9, unknown, 10.0.0.2")).startsWith("remote=10.0.0.2:0 ");
        assertThat(fetch(protocol, "Forwarded: for=203.0.113.9, for=_hidden, for=10.0.0.2")).startsWith("remote=10.0.0.2:0 ");
        assertThat(fetch(protocol, "Forwarded: for=unknown")).startsWith(own());
    }

    @BothProtocols
    void forwardedWinsOverXForwardedUnlessOnlyOneFamilyIsRead(Protocol protocol) throws Exception {
        String[] both = {"X-Forwarded-For: 203.0.113.9", "Forwarded: for=192.0.2.60;proto=https"};
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, both)).startsWith("remote=192.0.2.60:0 ").endsWith("secure=true");
        server.close();
        start(TrustedProxies.of("127.0.0.1").withHeaders(TrustedProxies.Header.X_FORWARDED));
        assertThat(fetch(protocol, both)).startsWith("remote=203.0.113.9:0 ").endsWith("secure=false");
        server.close();
        start(TrustedProxies.of("127.0.0.1").withHeaders(TrustedProxies.Header.FORWARDED));
        assertThat(fetch(protocol, "X-Forwarded-For: 203.0.113.9")).startsWith(own());
    }

    @BothProtocols
    void malformedForwardedGivesWayToXForwarded(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, "Forwarded: for=\"192.0.2.60", "X-Forwarded-For: 203.0.113.9")).startsWith("remote=203.0.113.9:0 ");
    }

    @BothProtocols
    void httpsProtoAndHostMakeTheUriTheClients(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com"))
                .endsWith("uri=https://example.com/path?q=1 secure=true");
        assertThat(fetch(protocol, "Forwarded: for=203.0.113.9;proto=https;host=\"www.example.com:8443\""))
                .isEqualTo("remote=203.0.113.9:0 host=203.0.113.9 uri=https://www.example.com:8443/path?q=1 secure=true");
        assertThat(fetch(protocol, "X-Forwarded-Proto: HTTP")).endsWith(ownUri());
    }

    @BothProtocols
    void strictTransportSecurityGoesToClientsAProxySaysUsedHttps(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        server.setStrictTransportSecurity(java.time.Duration.ofDays(1), false);
        try (ProtocolClient c = protocol.connect(uri)) {
            assertThat(c.get("/", "X-Forwarded-Proto: https").header("Strict-Transport-Security")).isEqualTo("max-age=86400");
            assertThat(c.get("/").header("Strict-Transport-Security")).isNull();
        }
    }

    @BothProtocols
    void forwardedPortJoinsTheForwardedOrTheRequestsHost(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com:8080", "X-Forwarded-Port: 8443"))
                .endsWith("uri=https://example.com:8443/path?q=1 secure=true");
        assertThat(fetch(protocol, "X-Forwarded-Port: 8080")).endsWith("uri=http://127.0.0.1:8080/path?q=1 secure=false");
    }

    @BothProtocols
    void perHopValuesOfXForwardedProtoGoWithTheirHop(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1", "10.0.0.0/8"));
        assertThat(fetch(protocol, "X-Forwarded-For: 203.0.113.9, 10.0.0.2", "X-Forwarded-Proto: https, http"))
                .startsWith("remote=203.0.113.9:0 ").endsWith("secure=true");
        // a count that matches neither one value nor one per hop is ignored
        assertThat(fetch(protocol, "X-Forwarded-For: 203.0.113.9, 10.0.0.2", "X-Forwarded-Proto: https, http, https"))
                .endsWith("secure=false");
    }

    @BothProtocols
    void schemeAndHostOfAnUntrustedHopsOwnEntryAreNotBelieved(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        // the client wrote the first element; the trusted proxy appended the second, without proto or host
        assertThat(fetch(protocol, "Forwarded: for=192.0.2.60;proto=https;host=evil.example, for=203.0.113.9"))
                .startsWith("remote=203.0.113.9:0 ").endsWith(ownUri());
    }

    @BothProtocols
    void ipv6ClientInBracketsWithAPortIsTheRemoteAddress(Protocol protocol) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        assertThat(fetch(protocol, "Forwarded: for=\"[2001:db8::1]:4711\""))
                .startsWith("remote=2001:db8:0:0:0:0:0:1:4711 host=2001:db8:0:0:0:0:0:1 ");
        assertThat(fetch(protocol, "X-Forwarded-For: 2001:db8::1")).startsWith("remote=2001:db8:0:0:0:0:0:1:0 ");
        assertThat(fetch(protocol, "X-Forwarded-For: [2001:db8::1]:4711")).startsWith("remote=2001:db8:0:0:0:0:0:1:4711 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "X-Forwarded-For: not-an-ip",
        "X-Forwarded-For: 999.1.1.1",
        "X-Forwarded-For: 203.0.113.09",
        "X-Forwarded-For: 203.0.113.9:99999",
        "X-Forwarded-For: unknown",
        "X-Forwarded-For: _hidden",
        "X-Forwarded-For: [203.0.113.9]",
        "X-Forwarded-For: fe80::1%eth0",
        "Forwarded: for=unknown",
        "Forwarded: for=_hidden",
        "Forwarded: for=\"[2001:db8::1\"",
        "Forwarded: for=\"[2001:db8::1]:http\"",
        "Forwarded: for=\"203.0.113.9",
        "Forwarded: for=203.0.113.9;for=198.51.100.1",
        "Forwarded: for",
        "Forwarded: =203.0.113.9",
        "Forwarded: for=203.0.113.9 junk",
        "Forwarded: for=ab\"c\"",
        "Forwarded: proto=ftp",
        "Forwarded: host=\"evil.example/path\"",
        "X-Forwarded-Host: evil.example/path",
        "X-Forwarded-Host: user@evil.example",
        "X-Forwarded-Host: evil.example:",
        "X-Forwarded-Host: evil.example:99999",
        "X-Forwarded-Proto: javascript",
        "X-Forwarded-Port: https",
        "X-Forwarded-Port: 70000",
        "X-Forwarded-Port: 0",
    })
    void malformedValuesAreIgnoredNeverAnError(String headerLine) throws Exception {
        start(TrustedProxies.of("127.0.0.1"));
        for (Protocol protocol : Protocol.values()) {
            assertThat(fetch(protocol, headerLine)).as("%s over %s", headerLine, protocol)
                    .startsWith(own()).endsWith(ownUri());
        }
    }

    @Test
    void unixDomainPeersAreTrustedOnlyWhenNamed() throws Exception {
        for (boolean trusted : new boolean[] {false, true}) {
            start(trusted ? TrustedProxies.of("unix") : TrustedProxies.of("127.0.0.1"));
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("ladle-" + trusted + ".sock"));
            server.listen(address, Set.of());
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(address);
                ch.write(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                String response = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(response).contains(trusted ? "remote=203.0.113.9:0 " : "remote=unix:");
            }
            server.close();
        }
    }
}
