package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auth basic|digest with --user and --auth-path. */
class AuthIT {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        Files.createDirectories(dir.resolve("private"));
        Files.writeString(dir.resolve("private/secret.txt"), "secret");
    }

    private static String curlStatus(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"-o", "/dev/null", "-w", "%{http_code}"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return Clients.curl(all).stdout();
    }

    @Test
    void basicChallengesWithoutCredentialsAndAcceptsTheRightPassword() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:s3cr:et")) {
            HttpResponse<String> challenge = Clients.get(httpd.uri(), "/hello.txt");
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Basic ").contains("realm=\"ladle-httpd\""));
            String url = httpd.uri().resolve("/hello.txt").toString();
            assertThat(curlStatus("-u", "alice:s3cr:et", url)).isEqualTo("200");
            assertThat(curlStatus("-u", "alice:wrong", url)).isEqualTo("401");
            assertThat(curlStatus("-u", "bob:s3cr:et", url)).isEqualTo("401");
        }
    }

    @Test
    void digestAcceptsTheRightPasswordAndRefusesAWrongOne() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "digest", "--user", "alice:secret")) {
            String url = httpd.uri().resolve("/hello.txt").toString();
            HttpResponse<String> challenge = Clients.get(httpd.uri(), "/hello.txt");
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().allValues("WWW-Authenticate")).anySatisfy(
                    value -> assertThat(value).startsWith("Digest ").contains("realm=\"ladle-httpd\""));
            assertThat(curlStatus("--digest", "-u", "alice:secret", url)).isEqualTo("200");
            assertThat(curlStatus("--digest", "-u", "alice:nope", url)).isEqualTo("401");
        }
    }

    @Test
    void everyRepeatedUserCanLogIn() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:one", "--user", "bob:two")) {
            String url = httpd.uri().resolve("/hello.txt").toString();
            assertThat(curlStatus("-u", "alice:one", url)).isEqualTo("200");
            assertThat(curlStatus("-u", "bob:two", url)).isEqualTo("200");
            assertThat(curlStatus("-u", "bob:one", url)).isEqualTo("401");
        }
    }

    @Test
    void authPathProtectsOnlyThatPrefix() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:secret", "--auth-path", "/private")) {
            assertThat(Clients.get(httpd.uri(), "/hello.txt").statusCode()).isEqualTo(200);
            assertThat(Clients.get(httpd.uri(), "/private/secret.txt").statusCode()).isEqualTo(401);
            assertThat(Clients.get(httpd.uri(), "/private").statusCode()).isEqualTo(401);
            assertThat(curlStatus("-u", "alice:secret", httpd.uri().resolve("/private/secret.txt").toString()))
                    .isEqualTo("200");
        }
    }

    @Test
    void theJdkClientAuthenticatesWithBasic() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:secret")) {
            HttpClient client = HttpClient.newBuilder().authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication("alice", "secret".toCharArray());
                }
            }).build();
            URI uri = httpd.uri().resolve("/hello.txt");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        }
    }

    @Test
    void theAccessLogNamesTheAuthenticatedUser() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:secret", "--access-log")) {
            curlStatus("-u", "alice:secret", httpd.uri().resolve("/hello.txt").toString());
            assertThat(httpd.awaitStdoutLine()).startsWith("127.0.0.1 - alice [").endsWith("\"GET /hello.txt HTTP/1.1\" 200 5");
        }
    }

    @Test
    void uploadsNeedCredentialsToo() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--auth", "basic", "--user", "alice:secret", "--allow-put")) {
            HttpResponse<String> refused = Clients.send(HttpRequest.newBuilder(httpd.uri().resolve("/up.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(dir.resolve("up.txt")).doesNotExist();
            assertThat(curlStatus("-u", "alice:secret", "-T", dir.resolve("hello.txt").toString(),
                    httpd.uri().resolve("/up.txt").toString())).isEqualTo("201");
        }
    }
}
