package dev.ladle.auth;

import static dev.ladle.auth.BasicAuthDomainTest.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Server;
import dev.ladle.server.BothProtocols;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Response;
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

/**
 * Basic auth through a real server: the JDK client (HTTP/1.1 only: it has no HTTP/2 without TLS), and curl
 * and raw sockets over HTTP/1.1 and HTTP/2.
 */
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

    @BothProtocols
    void curlBasicLogsIn(Protocol protocol) throws Exception {
        // ASCII only: the command line's encoding depends on the locale the tests run in.
        String out = Curl.run(protocol.curlFlag(), "--basic", "-u", "curl:s3cret:x", base.resolve("/private/x").toString());
        assertThat(Curl.statuses(out)).containsExactly(200);
        assertThat(out).endsWith("user=curl");
    }

    @BothProtocols
    void curlBasicWithWrongPasswordGets401(Protocol protocol) throws Exception {
        String out = Curl.run(protocol.curlFlag(), "--basic", "-u", "curl:nope", base.resolve("/private/x").toString());
        assertThat(Curl.statuses(out)).containsExactly(401);
    }

    @BothProtocols
    void missingCredentialsGetAChallengeAndTheConnectionStays(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.get("/private");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly("Basic realm=\"my realm\", charset=\"UTF-8\"");
            assertThat(r.one("Content-Length")).isEqualTo("0");
            assertThat(c.get("/private", "Authorization: " + basic("user:pässwörd")).bodyText()).isEqualTo("user=user");
        }
        assertThat(handled).hasValue(1);
    }

    @BothProtocols
    void wrongPasswordIs401(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/private", "Authorization: " + basic("user:pässwörT")).status()).isEqualTo(401);
        }
    }

    @BothProtocols
    void malformedCredentialsAre401NotAServerError(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            for (String bad : new String[] {"Basic", "Basic %%%%", "Basic " + "dXNlcg==", "Basic dXNlcjpw\u00e4", "Basic ====",
                "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xFF})}) {
                Response r = c.get("/private", "Authorization: " + bad);
                assertThat(r.status()).as(bad).isEqualTo(401);
                assertThat(r.one("WWW-Authenticate")).as(bad).startsWith("Basic ");
            }
        }
        assertThat(handled).hasValue(0);
    }

    @BothProtocols
    void pathsOutsideTheDomainNeedNoCredentials(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/privateer").status()).isEqualTo(200);
            assertThat(c.get("/").bodyText()).isEqualTo("user=null");
        }
    }

    @BothProtocols
    void escapingThePathDoesNotBypassTheDomain(Protocol protocol) throws Exception {
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.get("/%70rivate/x").status()).isEqualTo(401);
            assertThat(c.get("/public/../private/x").status()).isEqualTo(401);
        }
    }
}
