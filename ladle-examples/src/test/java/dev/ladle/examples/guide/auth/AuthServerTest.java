package dev.ladle.examples.guide.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the auth chapter says: who gets in where, what a client without credentials sees, and when. */
class AuthServerTest {
    private Server server;
    private URI base;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = AuthServer.start(0);
        base = server.getUris().get(0);
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpResponse<String> get(String target, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(target));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    @Test
    void withoutCredentialsTheClientGets401AndTheBasicChallenge() throws Exception {
        HttpResponse<String> response = get("/admin/users", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"admin\", charset=\"UTF-8\"");
    }

    @Test
    void theRightPasswordReachesTheHandlerWhichKnowsTheUser() throws Exception {
        HttpResponse<String> response = get("/admin", basic("ada", "lovelace"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello, ada\n");
        assertThat(get("/admin", basic("ada", "babbage")).statusCode()).isEqualTo(401);
        assertThat(get("/admin", basic("charles", "lovelace")).statusCode()).isEqualTo(401);
    }

    @Test
    void theJdkClientAnswersTheChallengeWithAnAuthenticator() throws Exception {
        Authenticator ada = new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("ada", "lovelace".toCharArray());
            }
        };
        try (HttpClient withLogin = HttpClient.newBuilder().authenticator(ada).build()) {
            HttpResponse<String> response = withLogin.send(HttpRequest.newBuilder(base.resolve("/admin")).build(), BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("Hello, ada\n");
        }
    }

    @Test
    void aRemovedPathNeedsNoCredentials() throws Exception {
        assertThat(get("/admin/health", null).body()).isEqualTo("ok\n");
        assertThat(get("/administrator", null).statusCode()).as("paths match on segment boundaries: no handler, no domain").isEqualTo(404);
    }

    @Test
    void digestChallengesWithSha256ThenMd5() throws Exception {
        HttpResponse<String> response = get("/files/report", null);
        assertThat(response.statusCode()).isEqualTo(401);
        List<String> challenges = response.headers().allValues("WWW-Authenticate");
        assertThat(challenges).hasSize(2);
        assertThat(challenges.get(0)).startsWith("Digest realm=\"files\"").contains("qop=\"auth\"", "algorithm=SHA-256", "nonce=\"");
        assertThat(challenges.get(1)).contains("algorithm=MD5");
    }

    @Test
    void curlLogsInWithDigest() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed");
        String out = curl("--digest", "-u", "grace:cobol", base.resolve("/files").toString());
        assertThat(out).contains("HTTP/1.1 401", "HTTP/1.1 200", "Authentication-Info: ", "Files for grace");
        assertThat(curl("--digest", "-u", "grace:fortran", base.resolve("/files").toString())).doesNotContain("HTTP/1.1 200");
    }

    @Test
    void theFilterLetsReadsThroughAndChallengesWrites() throws Exception {
        assertThat(get("/notes", null).body()).isEqualTo("GET by anyone\n");
        HttpRequest post = HttpRequest.newBuilder(base.resolve("/notes")).POST(BodyPublishers.ofString("hi")).build();
        assertThat(client.send(post, BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpRequest signed = HttpRequest.newBuilder(base.resolve("/notes")).header("Authorization", basic("ada", "lovelace"))
                .POST(BodyPublishers.ofString("hi")).build();
        assertThat(client.send(signed, BodyHandlers.ofString()).body()).isEqualTo("POST by ada\n");
    }

    @Test
    void authRunsBeforeEarlyHandlersAndBefore100Continue() throws Exception {
        AtomicInteger earlyCalls = new AtomicInteger();
        try (Server guarded = new Server()) {
            guarded.addAuthDomain(new BasicAuthDomain("uploads", (d, m, u, p) -> false, "/upload"));
            guarded.addEarlyHandler("/upload", (srv, msg, path, query) -> earlyCalls.incrementAndGet());
            guarded.addHandler("/upload", (srv, msg, path, query) -> msg.setStatus(204));
            guarded.listenLocal(0, Set.of());
            try (Socket socket = new Socket("127.0.0.1", guarded.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n").getBytes(UTF_8));
                out.flush();
                String head = readHead(socket.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 401 ").contains("WWW-Authenticate: Basic realm=\"uploads\"")
                        .doesNotContain("100 Continue");
            }
        }
        assertThat(earlyCalls).hasValue(0);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "10", "-D", "-"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
