package dev.ladle.auth;

import static dev.ladle.auth.BasicAuthDomainTest.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Server;
import dev.ladle.server.WireClient;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Basic auth through a real server: the JDK client, curl, and raw sockets. */
class BasicAuthServerTest {
    private Server server;
    private URI base;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> {
            handled.incrementAndGet();
            msg.setResponse("text/plain", ("user=" + msg.getAuthUser()).getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        BasicAuthDomain domain = new BasicAuthDomain("my realm",
                (d, m, user, pw) -> user.equals("user") && pw.equals("pässwörd") || user.equals("curl") && pw.equals("s3cret:x"));
        domain.addPath("/private");
        server.addAuthDomain(domain);
        server.listenLocal(0, Set.of());
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpClient client(String user, String password) {
        return HttpClient.newBuilder().authenticator(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password.toCharArray());
            }
        }).build();
    }

    @Test
    void jdkClientWithAuthenticatorLogsIn() throws Exception {
        HttpResponse<String> r = client("user", "pässwörd").send(
                HttpRequest.newBuilder(base.resolve("/private/x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("user=user");
    }

    @Test
    void jdkClientWithWrongPasswordIsRefusedEveryTime() {
        // The JDK client retries with the same credentials until its own limit, then gives up.
        assertThatThrownBy(() -> client("user", "wrong").send(
                HttpRequest.newBuilder(base.resolve("/private/x")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class).hasMessageContaining("authentication attempts");
        assertThat(handled).hasValue(0);
    }

    @Test
    void curlBasicLogsIn() throws Exception {
        // ASCII only: the command line's encoding depends on the locale the tests run in.
        String out = Curl.run("--basic", "-u", "curl:s3cret:x", base.resolve("/private/x").toString());
        assertThat(Curl.statuses(out)).containsExactly(200);
        assertThat(out).endsWith("user=curl");
    }

    @Test
    void curlBasicWithWrongPasswordGets401() throws Exception {
        String out = Curl.run("--basic", "-u", "curl:nope", base.resolve("/private/x").toString());
        assertThat(Curl.statuses(out)).containsExactly(401);
    }

    @Test
    void missingCredentialsGetAChallengeAndTheConnectionStays() throws Exception {
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.get("/private").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly("Basic realm=\"my realm\", charset=\"UTF-8\"");
            assertThat(r.one("Content-Length")).isEqualTo("0");
            assertThat(c.get("/private", "Authorization: " + basic("user:pässwörd")).read().bodyText()).isEqualTo("user=user");
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        try (WireClient c = new WireClient(base)) {
            assertThat(c.get("/private", "Authorization: " + basic("user:pässwörT")).read().status()).isEqualTo(401);
        }
    }

    @Test
    void malformedCredentialsAre401NotAServerError() throws Exception {
        try (WireClient c = new WireClient(base)) {
            for (String bad : new String[] {"Basic", "Basic %%%%", "Basic " + "dXNlcg==", "Basic dXNlcjpw\u00e4", "Basic ====",
                "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xFF})}) {
                WireClient.Response r = c.get("/private", "Authorization: " + bad).read();
                assertThat(r.status()).as(bad).isEqualTo(401);
                assertThat(r.one("WWW-Authenticate")).as(bad).startsWith("Basic ");
            }
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void pathsOutsideTheDomainNeedNoCredentials() throws Exception {
        try (WireClient c = new WireClient(base)) {
            assertThat(c.get("/privateer").read().status()).isEqualTo(200);
            assertThat(c.get("/").read().bodyText()).isEqualTo("user=null");
        }
    }

    @Test
    void escapingThePathDoesNotBypassTheDomain() throws Exception {
        try (WireClient c = new WireClient(base)) {
            assertThat(c.get("/%70rivate/x").read().status()).isEqualTo(401);
            assertThat(c.get("/public/../private/x").read().status()).isEqualTo(401);
        }
    }
}
