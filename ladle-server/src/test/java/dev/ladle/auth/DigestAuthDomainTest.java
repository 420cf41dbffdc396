package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Digest checks (RFC 7616) on messages built by hand; the end-to-end tests use real clients. */
class DigestAuthDomainTest {
    static final String REALM = "test realm";

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        volatile long millis = 1_700_000_000_000L;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    private final ManualClock clock = new ManualClock();

    private DigestAuthDomain domain() {
        DigestAuthDomain d = new DigestAuthDomain(REALM,
                (dom, m, user) -> user.equals("Mufasa") ? DigestAuthDomain.encodePassword(user, REALM, "Circle of Life") : null);
        d.setClock(clock);
        d.addPath("/");
        return d;
    }

    private static List<String> challenges(AuthDomain d) {
        TestMessage m = TestMessage.get("/");
        d.challenge(m.msg);
        return m.responseHeaders.getAll("WWW-Authenticate");
    }

    private static DigestClient client(AuthDomain d) {
        return DigestClient.fromChallenge(challenges(d).get(0));
    }

    private static TestMessage request(String target, String authorization) {
        return TestMessage.get(target).with("Authorization", authorization);
    }

    @Test
    void challengeOffersSha256ThenMd5WithQopAuth() {
        TestMessage m = TestMessage.get("/");
        domain().challenge(m.msg);
        assertThat(m.status).isEqualTo(401);
        List<String> all = m.responseHeaders.getAll("WWW-Authenticate");
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).startsWith("Digest realm=\"test realm\", qop=\"auth\", algorithm=SHA-256, nonce=\"")
                .endsWith("charset=UTF-8").doesNotContain("stale");
        assertThat(all.get(1)).contains("algorithm=MD5,");
    }

    @Test
    void rightSha256ResponseIsAcceptedWithRspauth() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        TestMessage m = request("/dir/index.html?x=1", c.authorization("Mufasa", "Circle of Life", "GET", "/dir/index.html?x=1", 1, "cn0nce"));
        assertThat(d.accepts(m.msg)).isEqualTo("Mufasa");
        String info = m.responseHeaders.getOne("Authentication-Info");
        assertThat(DigestClient.param("x " + info, "rspauth")).isEqualTo(c.rspauth("Mufasa", "Circle of Life", "/dir/index.html?x=1", 1, "cn0nce"));
        assertThat(info).contains("qop=auth").contains("nc=00000001").contains("cnonce=\"cn0nce\"");
    }

    @Test
    void md5AndSessionVariantsAreAcceptedWhenOffered() {
        DigestAuthDomain d = domain();
        d.setAlgorithms(DigestAlgorithm.values());
        DigestClient c = client(d);
        int nc = 1;
        for (String alg : new String[] {"MD5", "MD5-sess", "SHA-256", "SHA-256-sess"}) {
            TestMessage m = request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", nc++, "c", alg, REALM));
            assertThat(d.accepts(m.msg)).as(alg).isEqualTo("Mufasa");
        }
    }

    @Test
    void algorithmNotOfferedIsRefused() {
        DigestAuthDomain d = domain();
        d.setAlgorithms(DigestAlgorithm.SHA_256);
        DigestClient c = client(d);
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c", "MD5", REALM)).msg)).isNull();
        assertThat(challenges(d)).hasSize(1);
    }

    @Test
    void wrongPasswordUnknownUserAndWrongRealmAreRefusedWithoutStale() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        for (String auth : new String[] {
            c.authorization("Mufasa", "wrong", "GET", "/a", 1, "c"),
            c.authorization("Scar", "Circle of Life", "GET", "/a", 1, "c"),
            c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c", "SHA-256", "other realm"),
        }) {
            TestMessage m = request("/a", auth);
            assertThat(d.accepts(m.msg)).isNull();
            d.challenge(m.msg);
            assertThat(m.responseHeaders.getOne("WWW-Authenticate")).doesNotContain("stale");
        }
    }

    @Test
    void requestsFailingCheapChecksCostNoPasswordLookup() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        DigestAuthDomain d = new DigestAuthDomain(REALM, (dom, m, user) -> {
            lookups.incrementAndGet();
            return DigestAuthDomain.encodePassword(user, REALM, "pw");
        });
        d.setClock(clock);
        DigestClient c = client(d);
        d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 1, "c", "SHA-256", "other")).msg);
        d.accepts(request("/a", c.authorization("u", "pw", "GET", "/elsewhere", 1, "c")).msg);
        d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 1, "c", "MD5-sess", REALM)).msg);
        assertThat(lookups).hasValue(0);
        assertThat(d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 1, "c")).msg)).isEqualTo("u");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void responseForAnotherUriOrMethodIsRefused() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        assertThat(d.accepts(request("/admin", c.authorization("Mufasa", "Circle of Life", "GET", "/public", 1, "c")).msg)).isNull();
        TestMessage post = TestMessage.request("POST", "/a").with("Authorization", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 2, "c"));
        assertThat(d.accepts(post.msg)).isNull();
    }

    @Test
    void uriMayBeAbsoluteOrDifferentlyEscaped() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        assertThat(d.accepts(request("/a%20b", c.authorization("Mufasa", "Circle of Life", "GET", "http://EXAMPLE.org:80/a%20b", 1, "c")).msg)).isEqualTo("Mufasa");
        assertThat(d.accepts(request("/a%20b", c.authorization("Mufasa", "Circle of Life", "GET", "/a%20%62", 2, "c")).msg)).isEqualTo("Mufasa");
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "http://evil.org/a", 3, "c")).msg)).isNull();
        assertThat(d.accepts(request("/a?x", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 4, "c")).msg)).isNull();
    }

    @Test
    void expiredNonceGivesStaleChallenge() {
        DigestAuthDomain d = domain();
        d.setNonceLifetime(Duration.ofSeconds(30));
        DigestClient c = client(d);
        clock.millis += 30_001;
        TestMessage m = request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c"));
        assertThat(d.accepts(m.msg)).isNull();
        d.challenge(m.msg);
        DigestClient fresh = DigestClient.fromChallenge(m.responseHeaders.getOne("WWW-Authenticate"));
        assertThat(fresh.stale).isTrue();
        assertThat(fresh.nonce).isNotEqualTo(c.nonce);
        assertThat(d.accepts(request("/a", fresh.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c")).msg)).isEqualTo("Mufasa");
    }

    @Test
    void nonceStillWithinLifetimeIsAccepted() {
        DigestAuthDomain d = domain();
        d.setNonceLifetime(Duration.ofSeconds(30));
        DigestClient c = client(d);
        clock.millis += 30_000;
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c")).msg)).isEqualTo("Mufasa");
    }

    @Test
    void replayedNonceCountIsRefusedAsStale() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        String auth = c.authorization("Mufasa", "Circle of Life", "GET", "/a", 5, "c");
        assertThat(d.accepts(request("/a", auth).msg)).isEqualTo("Mufasa");
        TestMessage replay = request("/a", auth);
        assertThat(d.accepts(replay.msg)).isNull();
        d.challenge(replay.msg);
        assertThat(DigestClient.fromChallenge(replay.responseHeaders.getOne("WWW-Authenticate")).stale).isTrue();
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 4, "c")).msg)).isNull();
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 6, "c")).msg)).isEqualTo("Mufasa");
    }

    @Test
    void wrongResponseDoesNotUseUpANonceCount() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "guess", "GET", "/a", 9, "c")).msg)).isNull();
        assertThat(d.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c")).msg)).isEqualTo("Mufasa");
    }

    @Test
    void forgedNonceIsStaleOnlyForTheRightPassword() {
        DigestAuthDomain d = domain();
        DigestClient forged = DigestClient.fromChallenge("Digest realm=\"test realm\", nonce=\"made-up\", algorithm=SHA-256");
        TestMessage m = request("/a", forged.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c"));
        assertThat(d.accepts(m.msg)).isNull();
        d.challenge(m.msg);
        assertThat(m.responseHeaders.getOne("WWW-Authenticate")).contains("stale=true");
    }

    @Test
    void instancesSharingTheSecretAcceptEachOthersNonces() {
        byte[] secret = "a shared secret of 32 bytes!!!!!".getBytes();
        DigestAuthDomain a = domain();
        DigestAuthDomain b = domain();
        a.setNonceSecret(secret);
        b.setNonceSecret(secret);
        DigestClient c = client(a);
        assertThat(b.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c")).msg)).isEqualTo("Mufasa");
        DigestAuthDomain stranger = domain();
        assertThat(stranger.accepts(request("/a", c.authorization("Mufasa", "Circle of Life", "GET", "/a", 2, "c")).msg)).isNull();
    }

    @Test
    void md5OnlyStoredHashWorksForMd5Clients() {
        DigestAuthDomain d = new DigestAuthDomain(REALM,
                (dom, m, user) -> DigestAuthDomain.encodePassword(DigestAlgorithm.MD5, user, REALM, "pw"));
        d.setClock(clock);
        DigestClient c = client(d);
        assertThat(d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 1, "c", "MD5", REALM)).msg)).isEqualTo("u");
        assertThat(d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 2, "c", "SHA-256", REALM)).msg)).isNull();
    }

    @Test
    void genericCallbackAndCheckPasswordWork() {
        DigestAuthDomain d = new DigestAuthDomain(REALM, null);
        d.setClock(clock);
        d.setGenericAuthCallback((dom, m, user) -> user.equals("u") ? "pw" : null);
        DigestClient c = client(d);
        assertThat(d.accepts(request("/a", c.authorization("u", "pw", "GET", "/a", 1, "c")).msg)).isEqualTo("u");
        assertThat(d.accepts(request("/a", c.authorization("u", "no", "GET", "/a", 2, "c")).msg)).isNull();
        assertThat(d.checkPassword(request("/a", c.authorization("u", "pw", "GET", "/a", 3, "c")).msg, "u", "pw")).isTrue();
        assertThat(d.checkPassword(request("/a", c.authorization("u", "pw", "GET", "/a", 4, "c")).msg, "u", "px")).isFalse();
    }

    @Test
    void utf8UserNameInQuotesOrExtendedNotationIsDecoded() {
        String user = "Jäsøn Doe";
        DigestAuthDomain d = new DigestAuthDomain(REALM, (dom, m, u) -> DigestAuthDomain.encodePassword(u, REALM, "pw"));
        d.setClock(clock);
        DigestClient c = client(d);
        String auth = c.authorization(user, "pw", "GET", "/a", 1, "c");
        String wire = AuthText.toWire(auth);
        assertThat(d.accepts(request("/a", wire).msg)).isEqualTo(user);
        String ext = c.authorization(user, "pw", "GET", "/a", 2, "c")
                .replace("username=\"" + user + "\"", "username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
        assertThat(d.accepts(request("/a", ext).msg)).isEqualTo(user);
    }

    @Test
    void malformedDigestHeadersCountAsNoCredentials() {
        DigestAuthDomain d = domain();
        DigestClient c = client(d);
        String good = c.authorization("Mufasa", "Circle of Life", "GET", "/a", 1, "c");
        for (String bad : new String[] {
            "Digest", "Digest ", "Digest username=", good.replace("qop=auth", "qop=auth-int"),
            good.replace(", qop=auth", ""), good.replace("nc=00000001", "nc=1"), good.replace("nc=00000001", "nc=00000000"),
            good.replace("nc=00000001", "nc=0000000g"), good.replace("cnonce=\"c\"", "cnonce=\"\""),
            good.replace("algorithm=SHA-256", "algorithm=SHA-512-256"), good + ", userhash=true",
            good + ", realm=\"twice\"", good.replace("response=\"", "response=\"0"), good.substring(0, good.length() - 1),
            good.replace("username=\"Mufasa\"", "username=\"Mufasa\", username*=UTF-8''Mufasa"),
            good.replace("username=\"Mufasa\"", "username*=ISO-8859-1''Mufasa"),
        }) {
            assertThat(d.accepts(request("/a", bad).msg)).as(bad).isNull();
        }
        assertThat(d.accepts(request("/a", good).msg)).isEqualTo("Mufasa");
    }

    @Test
    void proxyDomainUsesProxyHeaders() {
        DigestAuthDomain d = new DigestAuthDomain(REALM, true, (dom, m, u) -> DigestAuthDomain.encodePassword(u, REALM, "pw"));
        d.setClock(clock);
        TestMessage m = TestMessage.get("/");
        d.challenge(m.msg);
        assertThat(m.status).isEqualTo(407);
        DigestClient c = DigestClient.fromChallenge(m.responseHeaders.getOne("Proxy-Authenticate"));
        TestMessage ok = TestMessage.get("/x").with("Proxy-Authorization", c.authorization("u", "pw", "GET", "http://example.org/x", 1, "c"));
        assertThat(d.accepts(ok.msg)).isEqualTo("u");
        assertThat(ok.responseHeaders.getOne("Proxy-Authentication-Info")).contains("rspauth=");
    }

    @Test
    void settersRefuseNonsense() {
        DigestAuthDomain d = domain();
        assertThatThrownBy(() -> d.setNonceSecret(new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.setNonceLifetime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.setAlgorithms()).isInstanceOf(IllegalArgumentException.class);
    }
}
