package dev.ladle.httpd;

import static dev.ladle.httpd.Clients.raw;
import static dev.ladle.httpd.Clients.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * No request reaches outside the root: each attempt is sent byte for byte on a raw socket and must be
 * refused (400 from the core's path check, 403 or 404 from ladle-httpd) without the secret that lies
 * next to the root. Writing attempts run with {@code --allow-put} and must change nothing outside.
 */
class TraversalIT {
    private static final String SECRET = "TOP-SECRET";

    @TempDir
    static Path top;
    static Path root;
    static HttpdProcess httpd;
    static URI base;

    @BeforeAll
    static void startServer() throws Exception {
        root = Files.createDirectories(top.resolve("root"));
        Files.writeString(top.resolve("secret.txt"), SECRET);
        Path outside = Files.createDirectories(top.resolve("outside"));
        Files.writeString(outside.resolve("inside.txt"), SECRET);
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.createSymbolicLink(root.resolve("link-out"), top.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("relative-link-out"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("dir-out"), outside);
        Files.createSymbolicLink(root.resolve("link-in"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), top.resolve("not-there.txt"));
        httpd = HttpdProcess.serve(root, 1, "--root", root.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--allow-put");
        base = httpd.uri();
    }

    @AfterAll
    static void stopServer() throws Exception {
        httpd.close();
    }

    private static String request(String method, String target) throws Exception {
        return raw(base, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\nevil");
    }

    @ParameterizedTest(name = "GET {0} is refused")
    @ValueSource(strings = {
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/sub%2f..%2f..%2fsecret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/sub\\..\\..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/secret.txt%00",
        "/..%00/secret.txt",
        "/link-out",
        "/relative-link-out",
        "/dir-out/inside.txt",
        "/dir-out/",
        "/dangling",
        "http://localhost/../secret.txt",
        "http://localhost/%2e%2e/secret.txt",
        "../secret.txt",
    })
    void getOutsideTheRootIsRefused(String target) throws Exception {
        String response = request("GET", target);
        assertThat(status(response)).as(response).isIn(400, 403, 404);
        assertThat(response).doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "HEAD {0} is refused")
    @ValueSource(strings = {"/%2e%2e/secret.txt", "/link-out", "/dir-out/inside.txt"})
    void headOutsideTheRootIsRefused(String target) throws Exception {
        assertThat(status(request("HEAD", target))).isIn(400, 403, 404);
    }

    @ParameterizedTest(name = "PUT {0} writes nothing outside")
    @ValueSource(strings = {
        "/../evil.txt",
        "/%2e%2e/evil.txt",
        "/sub/..%2f..%2fevil.txt",
        "/dir-out/evil.txt",
        "/link-out",
        "/relative-link-out",
        "/dangling",
    })
    void putOutsideTheRootIsRefused(String target) throws Exception {
        String response = request("PUT", target);
        if (target.equals("/../evil.txt")) {
            // the core removes dot segments as RFC 3986 says, clamped at the root: /evil.txt, inside
            assertThat(status(response)).as(response).isEqualTo(201);
            Files.delete(root.resolve("evil.txt"));
        } else {
            assertThat(status(response)).as(response).isIn(400, 403, 404);
        }
        assertThat(top.resolve("evil.txt")).doesNotExist();
        assertThat(top.resolve("outside/evil.txt")).doesNotExist();
        assertThat(top.resolve("not-there.txt")).doesNotExist();
        assertThat(top.resolve("secret.txt")).hasContent(SECRET);
    }

    @ParameterizedTest(name = "DELETE {0} deletes nothing")
    @ValueSource(strings = {"/%2e%2e/secret.txt", "/link-out", "/dir-out/inside.txt", "/dir-out", "/"})
    void deleteOutsideTheRootIsRefused(String target) throws Exception {
        String response = request("DELETE", target);
        assertThat(status(response)).as(response).isIn(400, 403, 404);
        assertThat(top.resolve("secret.txt")).hasContent(SECRET);
        assertThat(top.resolve("outside/inside.txt")).hasContent(SECRET);
        assertThat(root.resolve("link-out")).isSymbolicLink();
        assertThat(root.resolve("dir-out")).isSymbolicLink();
        assertThat(root).isDirectory();
    }

    @Test
    void aSymbolicLinkInsideTheRootIsServed() throws Exception {
        String response = request("GET", "/link-in");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).endsWith("\r\n\r\nhello");
    }

    @Test
    void dotSegmentsThatStayInsideAreServed() throws Exception {
        String response = request("GET", "/sub/../hello.txt");
        assertThat(status(response)).isEqualTo(200);
        assertThat(response).endsWith("\r\n\r\nhello");
    }

    @Test
    void curlWithPathAsIsCannotClimbOut() throws Exception {
        Clients.CurlResult result = Clients.curl("--path-as-is", "-w", "%{http_code}", "-o", "/dev/null",
                base.resolve("/").toString() + "../../secret.txt");
        assertThat(result.stdout()).isIn("400", "403", "404");
    }
}
