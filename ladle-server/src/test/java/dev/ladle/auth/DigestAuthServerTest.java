package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.server.Server;
import dev.ladle.server.BothProtocols;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Digest auth through a real server: curl ({@code --digest}) and raw sockets over HTTP/1.1 and HTTP/2;
 * curl {@code --proxy-digest} over HTTP/1.1 only (curl talks HTTP/1.1 to a plain proxy).
 */
class DigestAuthServerTest {
    static final String REALM = "digest realm";
    static final String PASSWORD = "Circle of Life";

    private final DigestAuthDomainTest.ManualClock clock = new DigestAuthDomainTest.ManualClock();
    private final Map<String, String> lastAuthorization = new ConcurrentHashMap<>();
    private Server server;
    private URI base;
    private DigestAuthDomain domain;

    static DigestAuthDomain newDomain(boolean proxy) {
        return new DigestAuthDomain(REALM, proxy,
                (d, m, user) -> user.equals("Mufasa") ? DigestAuthDomain.encodePassword(user, REALM, PASSWORD) : null);
    }

    static Server newServer(Map<String, String> lastAuthorization) {
        Server server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            String authorization = msg.getRequestHeaders().getOne("Authorization");
            lastAuthorization.put(path, authorization == null ? "" : authorization);
            msg.setResponse("text/plain", ("user=" + msg.getAuthUser()).getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        return server;
    }

    @BeforeEach
    void start() throws Exception {
        server = newServer(lastAuthorization);
        domain = newDomain(false);
        domain.setClock(clock);
        domain.addPath("/digest");
        server.addAuthDomain(domain);
        DigestAuthDomain md5Only = newDomain(false);
        md5Only.setAlgorithms(DigestAlgorithm.MD5);
        md5Only.addPath("/md5");
        server.addAuthDomain(md5Only);
        DigestAuthDomain sess = newDomain(false);
        sess.setAlgorithms(DigestAlgorithm.SHA_256_SESS, DigestAlgorithm.MD5_SESS);
        sess.addPath("/sess");
        server.addAuthDomain(sess);
        server.listenLocal(0, Set.of());
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String curlDigest(Protocol protocol, String target, String password) throws Exception {
        // a Digest login is two requests on one connection
        assumeTrue(protocol == Protocol.HTTP_1_1 || Curl.reusesPriorKnowledgeConnections(),
                "curl before 8.0 cannot send a second request on an h2c prior-knowledge connection (curl issue 10634)");
        return Curl.run(protocol.curlFlag(), "--digest", "-u", "Mufasa:" + password, base.resolve(target).toString());
    }

    @BothProtocols
    void curlDigestLogsInWithSha256AndGetsRspauth(Protocol protocol) throws Exception {
        String out = curlDigest(protocol, "/digest/index.html?a=1", PASSWORD);
        assertThat(Curl.statuses(out)).as(out).containsExactly(401, 200);
        // HTTP/2 field names are lower case
        assertThat(out).endsWith("user=Mufasa").containsIgnoringCase("Authentication-Info: rspauth=\"");
        assertThat(lastAuthorization.get("/digest/index.html")).contains("algorithm=SHA-256").contains("uri=\"/digest/index.html?a=1\"");
    }

    @BothProtocols
    void curlDigestUsesMd5WhenOnlyMd5IsOffered(Protocol protocol) throws Exception {
        String out = curlDigest(protocol, "/md5/x", PASSWORD);
        assertThat(Curl.statuses(out)).containsExactly(401, 200);
        assertThat(lastAuthorization.get("/md5/x")).containsIgnoringCase("algorithm=MD5");
    }

    @BothProtocols
    void curlDigestUsesTheSessionVariantWhenOffered(Protocol protocol) throws Exception {
        String out = curlDigest(protocol, "/sess/x", PASSWORD);
        assertThat(Curl.statuses(out)).containsExactly(401, 200);
        assertThat(lastAuthorization.get("/sess/x")).containsIgnoringCase("algorithm=SHA-256-sess");
    }

    @BothProtocols
    void curlDigestWithWrongPasswordGets401Twice(Protocol protocol) throws Exception {
        String out = curlDigest(protocol, "/digest/x", "Circle of Strife");
        assertThat(Curl.statuses(out)).containsExactly(401, 401);
        assertThat(lastAuthorization).isEmpty();
    }

    @Test
    void curlProxyDigestAuthenticatesToAProxyDomain() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (Server proxy = newServer(seen)) {
            proxy.addAuthDomain(newDomain(true));
            proxy.listenLocal(0, Set.of());
            URI proxyUri = proxy.getUris().get(0);
            String out = Curl.run("-x", "http://" + proxyUri.getHost() + ":" + proxyUri.getPort(), "--proxy-digest",
                    "-U", "Mufasa:" + PASSWORD, "http://example.org/some/page");
            assertThat(Curl.statuses(out)).containsExactly(407, 200);
            assertThat(out).contains("Proxy-Authenticate: Digest realm=\"digest realm\"")
                    .contains("Proxy-Authentication-Info: rspauth=").endsWith("user=Mufasa");
            String wrong = Curl.run("-x", "http://" + proxyUri.getHost() + ":" + proxyUri.getPort(), "--proxy-digest",
                    "-U", "Mufasa:nope", "http://example.org/some/page");
            assertThat(Curl.statuses(wrong)).containsExactly(407, 407);
        }
    }

    // ---- raw sockets: one rule each ----------------------------------------------------------------

    private DigestClient challenge(ProtocolClient c, String target) throws Exception {
        Response r = c.get(target);
        assertThat(r.status()).isEqualTo(401);
        return DigestClient.fromChallenge(r.headers("WWW-Authenticate").get(0));
    }

    private static Response authorized(ProtocolClient c, String target, String authorization) throws Exception {
        return c.get(target, "Authorization: " + authorization);
    }

    @BothProtocols
    void challengeOffersBothAlgorithmsWithoutStale(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            List<String> challenges = c.get("/digest").headers("WWW-Authenticate");
            assertThat(challenges).hasSize(2);
            assertThat(challenges.get(0)).contains("algorithm=SHA-256,").contains("qop=\"auth\"").doesNotContain("stale");
            assertThat(challenges.get(1)).contains("algorithm=MD5,");
        }
    }

    @BothProtocols
    void rightResponseRunsTheHandlerAndProvesTheServer(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            Response r = authorized(c, "/digest/a", d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "xyz"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("user=Mufasa");
            assertThat(DigestClient.param("x " + r.one("Authentication-Info"), "rspauth"))
                    .isEqualTo(d.rspauth("Mufasa", PASSWORD, "/digest/a", 1, "xyz"));
        }
    }

    @BothProtocols
    void wrongPasswordIs401WithoutStale(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            Response r = authorized(c, "/digest/a", d.authorization("Mufasa", "wrong", "GET", "/digest/a", 1, "x"));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.one("WWW-Authenticate")).doesNotContain("stale");
        }
    }

    @BothProtocols
    void wrongRealmIs401(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            String auth = d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x", "SHA-256", "another realm");
            assertThat(authorized(c, "/digest/a", auth).status()).isEqualTo(401);
        }
    }

    @BothProtocols
    void responseComputedForAnotherUriIs401(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            String auth = d.authorization("Mufasa", PASSWORD, "GET", "/digest/public", 1, "x");
            assertThat(authorized(c, "/digest/a", auth).status()).isEqualTo(401);
        }
    }

    @BothProtocols
    void expiredNonceGetsStaleChallengeAndTheNewNonceWorks(Protocol protocol) throws Exception {
        domain.setNonceLifetime(Duration.ofMinutes(1));
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            clock.millis += Duration.ofMinutes(1).toMillis() + 1;
            Response r = authorized(c, "/digest/a", d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x"));
            assertThat(r.status()).isEqualTo(401);
            DigestClient fresh = DigestClient.fromChallenge(r.headers("WWW-Authenticate").get(0));
            assertThat(fresh.stale).isTrue();
            assertThat(authorized(c, "/digest/a", fresh.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x")).status())
                    .isEqualTo(200);
        }
    }

    @BothProtocols
    void replayedRequestIsRefusedWithStale(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            String auth = d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x");
            assertThat(authorized(c, "/digest/a", auth).status()).isEqualTo(200);
            Response replay = authorized(c, "/digest/a", auth);
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.one("WWW-Authenticate")).contains("stale=true");
        }
        try (ProtocolClient other = protocol.connect(base)) {
            DigestClient d = challenge(other, "/digest/b");
            String auth = d.authorization("Mufasa", PASSWORD, "GET", "/digest/b", 7, "x");
            assertThat(authorized(other, "/digest/b", auth).status()).isEqualTo(200);
            assertThat(authorized(other, "/digest/b", d.authorization("Mufasa", PASSWORD, "GET", "/digest/b", 8, "x")).status())
                    .isEqualTo(200);
        }
    }

    @BothProtocols
    void malformedDigestHeadersAre401NotAServerError(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = challenge(c, "/digest/a");
            String good = d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x");
            for (String bad : new String[] {"Digest", "Digest ,,,", "Digest username=\"unterminated", "Digest a=b=c",
                good.replace("nc=00000001", "nc=zz"), good.replace("qop=auth", "qop=auth-int"),
                good.replace("algorithm=SHA-256", "algorithm=SHA-1"), good.replace("response=\"", "response=\"ff"),
                "Digest username=\"\u00ff\u00fe\", realm=\"x\"", good + ", nonce=\"again\""}) {
                Response r = authorized(c, "/digest/a", bad);
                assertThat(r.status()).as(bad).isEqualTo(401);
            }
            assertThat(authorized(c, "/digest/a", good).status()).isEqualTo(200);
        }
    }

    @BothProtocols
    void serversSharingTheSecretAcceptEachOthersNonces(Protocol protocol) throws Exception {
        byte[] secret = "thirty-two bytes of shared secret".getBytes(StandardCharsets.US_ASCII);
        domain.setNonceSecret(secret);
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (Server twin = newServer(seen)) {
            DigestAuthDomain twinDomain = newDomain(false);
            twinDomain.setNonceSecret(secret);
            twinDomain.setClock(clock);
            twinDomain.addPath("/digest");
            twin.addAuthDomain(twinDomain);
            twin.listenLocal(0, Set.of());
            DigestClient d;
            try (ProtocolClient c = protocol.connect(base)) {
                d = challenge(c, "/digest/a");
            }
            try (ProtocolClient c = protocol.connect(twin.getUris().get(0))) {
                assertThat(authorized(c, "/digest/a", d.authorization("Mufasa", PASSWORD, "GET", "/digest/a", 1, "x")).status())
                        .isEqualTo(200);
            }
        }
    }
}
