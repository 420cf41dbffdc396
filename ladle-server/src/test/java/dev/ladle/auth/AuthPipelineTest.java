package dev.ladle.auth;

import static dev.ladle.auth.BasicAuthDomainTest.basic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.LogCapture;
import dev.ladle.server.Server;
import dev.ladle.server.BothProtocols;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import dev.ladle.server.WireClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where auth sits in the server's processing order, and several domains on one server, over HTTP/1.1 and
 * HTTP/2 (a body smuggled after a refused 100-continue is an HTTP/1.1 matter).
 */
class AuthPipelineTest {
    private static final String DIGEST_PASSWORD = "digest-pw";

    private Server server;
    private URI base;
    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicInteger earlyRuns = new AtomicInteger();
    private final AtomicReference<AuthDomain> acceptedBy = new AtomicReference<>();
    private BasicAuthDomain basicDomain;
    private DigestAuthDomain digestDomain;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            handled.incrementAndGet();
            acceptedBy.set(msg.getAuthDomain());
            msg.setResponse("text/plain", ("user=" + msg.getAuthUser()).getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.addEarlyHandler("/early", (s, msg, path, query) -> earlyRuns.incrementAndGet());
        server.addHandler("/early", (s, msg, path, query) -> {
            handled.incrementAndGet();
            msg.setStatus(204);
        });
        basicDomain = new BasicAuthDomain("outer", (d, m, u, p) -> u.equals("basic") && p.equals("basic-pw"));
        basicDomain.addPath("/a");
        basicDomain.addPath("/early");
        basicDomain.removePath("/a/public");
        digestDomain = new DigestAuthDomain("inner",
                (d, m, u) -> u.equals("digest") ? DigestAuthDomain.encodePassword(u, "inner", DIGEST_PASSWORD) : null);
        digestDomain.addPath("/a/b");
        digestDomain.addPath("*");
        server.addAuthDomain(basicDomain);
        server.addAuthDomain(digestDomain);
        server.listenLocal(0, Set.of());
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String basicAuth() {
        return "Authorization: " + basic("basic:basic-pw");
    }

    @BothProtocols
    void nestedPathChallengesWithEveryCoveringDomainInOrder(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/a/b/c");
            assertThat(r.status()).isEqualTo(401);
            List<String> challenges = r.headers("WWW-Authenticate");
            assertThat(challenges).hasSize(3);
            assertThat(challenges.get(0)).startsWith("Basic realm=\"outer\"");
            assertThat(challenges.get(1)).startsWith("Digest realm=\"inner\"");
            assertThat(challenges.get(2)).startsWith("Digest realm=\"inner\"");
        }
    }

    @BothProtocols
    void outerPathIsChallengedByTheOuterDomainOnly(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/a/x");
            assertThat(r.headers("WWW-Authenticate")).singleElement().asString().startsWith("Basic ");
        }
    }

    @BothProtocols
    void anyCoveringDomainAcceptingIsEnoughAndIsRecorded(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/a/b/c", basicAuth()).bodyText()).isEqualTo("user=basic");
            assertThat(acceptedBy).hasValue(basicDomain);
            DigestClient d = DigestClient.fromChallenge(c.get("/a/b/c").headers("WWW-Authenticate").get(1));
            Response r = c.get("/a/b/c", "Authorization: " + d.authorization("digest", DIGEST_PASSWORD, "GET", "/a/b/c", 1, "n"));
            assertThat(r.bodyText()).isEqualTo("user=digest");
            assertThat(acceptedBy).hasValue(digestDomain);
        }
    }

    @BothProtocols
    void digestCredentialsDoNotOpenThePathOnlyTheBasicDomainCovers(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            DigestClient d = DigestClient.fromChallenge(c.get("/a/b").headers("WWW-Authenticate").get(1));
            Response r = c.get("/a/x", "Authorization: " + d.authorization("digest", DIGEST_PASSWORD, "GET", "/a/x", 1, "n"));
            assertThat(r.status()).isEqualTo(401);
        }
    }

    @BothProtocols
    void removedPathNeedsNoCredentialsButSiblingsDo(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/a/public/file").bodyText()).isEqualTo("user=null");
            assertThat(c.get("/a/publicity").status()).isEqualTo(401);
            assertThat(c.get("/ab").status()).isEqualTo(200);
        }
    }

    @BothProtocols
    void optionsPingIsCoveredOnlyByTheDomainGivenAsterisk(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("OPTIONS", "*")).read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).allMatch(v -> v.startsWith("Digest realm=\"inner\""));
        }
    }

    @BothProtocols
    void earlyHandlerRunsOnlyAfterAuthSucceeds(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/early").status()).isEqualTo(401);
            assertThat(earlyRuns).hasValue(0);
            assertThat(c.get("/early", basicAuth()).status()).isEqualTo(204);
            assertThat(earlyRuns).hasValue(1);
        }
    }

    @BothProtocols
    void expectContinueOnCoveredPathIsRefusedWithoutReadingTheBody(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.sendExpectingContinue(Request.of("POST", "/a/upload").body(new byte[1_000_000]));
            assertThat(r.informational()).isEmpty();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.one("WWW-Authenticate")).startsWith("Basic ");
            // HTTP/1.1 closes the connection; HTTP/2 resets the stream whose body it will not read
            assertThat(c.endedByServer(3000)).isTrue();
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void bodySentAnywayAfterRefusedExpectContinueIsNeverParsedAsARequest() throws Exception {
        String smuggled = "GET /pwned HTTP/1.1\r\nHost: test\r\n\r\n";
        try (WireClient c = new WireClient(base)) {
            c.send("POST /a/upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + smuggled.length()
                    + "\r\nExpect: 100-continue\r\n\r\n" + smuggled);
            assertThat(c.read().status()).isEqualTo(401);
            assertThat(c.closedWithin(3000)).isTrue();
        }
        assertThat(handled).hasValue(0);
    }

    @BothProtocols
    void expectContinueWithCredentialsGets100ThenTheHandler(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.sendExpectingContinue(Request.of("POST", "/a/upload").header(basicAuth()).body("hello"));
            assertThat(r.informational()).containsExactly(100);
            assertThat(r.bodyText()).isEqualTo("user=basic");
        }
    }

    @BothProtocols
    void throwingAuthCallbackNeverLetsTheRequestThrough(Protocol protocol) throws Exception {
        BasicAuthDomain broken = new BasicAuthDomain("broken", (d, m, u, p) -> {
            throw new IllegalStateException("password store down");
        });
        broken.addPath("/broken");
        server.addAuthDomain(broken);
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/broken", basicAuth()).status()).isEqualTo(500);
        }
        assertThat(handled).hasValue(0);
    }

    @BothProtocols
    void removingADomainLiftsItsProtection(Protocol protocol) throws Exception {
        server.removeAuthDomain(basicDomain);
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/a/x").status()).isEqualTo(200);
        }
    }

    @BothProtocols
    void credentialsNeverAppearInLogRecords(Protocol protocol) throws Exception {
        String logged;
        try (LogCapture capture = new LogCapture("dev.ladle", "ALL"); ProtocolClient c = protocol.connect(base)) {
            c.get("/a/x", "Authorization: " + basic("basic:secret-guess-1"));
            c.get("/a/x", basicAuth());
            c.get("/a/x", "Authorization: Basic %%%secret-guess-3");
            DigestClient d = DigestClient.fromChallenge(c.get("/a/b").headers("WWW-Authenticate").get(1));
            c.get("/a/b", "Authorization: " + d.authorization("digest", "secret-guess-2", "GET", "/a/b", 1, "n"));
            c.get("/a/b", "Authorization: " + d.authorization("digest", DIGEST_PASSWORD, "GET", "/a/b", 2, "n"));
            c.get("/a/b", "Authorization: " + d.authorization("digest", DIGEST_PASSWORD, "GET", "/a/b", 2, "n"));
            logged = capture.text();
        }
        assertThat(logged).contains("Digest credentials refused");
        assertThat(logged).doesNotContain("secret-guess").doesNotContain("basic-pw").doesNotContain(DIGEST_PASSWORD)
                .doesNotContain(basic("basic:basic-pw").substring(6)).doesNotContain("response=").doesNotContain("cnonce=");
    }
}
